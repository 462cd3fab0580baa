using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Unit.Core.Webhooks;

public sealed class WebhookTargetPolicyTests
{
    [Fact]
    public void CheckForm_HttpWhenNotAllowed_IsRefused()
    {
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions()));

        sut.CheckForm("http://hooks.example.com/x").Should().Be(WebhookTargetCheck.Refused("Only https URLs are accepted."));
        sut.CheckForm("https://hooks.example.com/x").Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task CheckAsync_ExemptHost_IsAllowedWhatItResolvesTo_OthersAreNot()
    {
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions { AllowHttp = true, AllowedHosts = ["127.0.0.1:9000", "[::1]:9000"] }));

        (await sut.CheckAsync("http://127.0.0.1:9000/hook", CancellationToken.None)).Allowed.Should().BeTrue();
        (await sut.CheckAsync("http://[::1]:9000/hook", CancellationToken.None)).Allowed.Should().BeTrue();
        var byName = await sut.CheckAsync("http://localhost:9000/hook", CancellationToken.None);
        byName.Allowed.Should().BeFalse("the exemption names an address, not every name that resolves to it");
        byName.Reason.Should().Contain("localhost").And.Contain("internal");
    }

    [Fact]
    public async Task CheckAsync_ExemptHostOnAnotherPort_IsRefused()
    {
        // The exemption is a host and a port: a tenant cannot aim at the API or a worker's metrics on the same host.
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions { AllowHttp = true, AllowedHosts = ["127.0.0.1:9000"] }));

        (await sut.CheckAsync("http://127.0.0.1:9001/hook", CancellationToken.None)).Allowed.Should().BeFalse();
        (await sut.CheckAsync("http://127.0.0.1/hook", CancellationToken.None)).Allowed.Should().BeFalse("port 80 is not 9000");
        (await sut.CheckAsync("http://127.0.0.1:9000/hook", CancellationToken.None)).Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[::1]")]
    public void Validate_AnAllowedHostWithoutAPort_IsRefusedAtStart(string entry)
    {
        var errors = WebhookOptions.AllowedHostErrors([entry]);

        errors.Should().ContainSingle().Which.Should().Contain(entry);
    }

    [Fact]
    public async Task ResolveAsync_NameThatDoesNotResolve_IsRefused()
    {
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions()));

        var act = () => sut.ResolveAsync("no-such-host.invalid", 443, CancellationToken.None);

        (await act.Should().ThrowAsync<WebhookTargetRefusedException>()).WithMessage("*does not resolve*");
    }
}
