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
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions { AllowHttp = true, AllowedHosts = ["127.0.0.1", "[::1]"] }));

        (await sut.CheckAsync("http://127.0.0.1:9000/hook", CancellationToken.None)).Allowed.Should().BeTrue();
        (await sut.CheckAsync("http://[::1]:9000/hook", CancellationToken.None)).Allowed.Should().BeTrue();
        var byName = await sut.CheckAsync("http://localhost:9000/hook", CancellationToken.None);
        byName.Allowed.Should().BeFalse("the exemption names an address, not every name that resolves to it");
        byName.Reason.Should().Contain("localhost").And.Contain("internal");
    }

    [Fact]
    public async Task ResolveAsync_NameThatDoesNotResolve_IsRefused()
    {
        var sut = new WebhookTargetPolicy(new FixedOptionsMonitor<WebhookOptions>(new WebhookOptions()));

        var act = () => sut.ResolveAsync("no-such-host.invalid", CancellationToken.None);

        (await act.Should().ThrowAsync<WebhookTargetRefusedException>()).WithMessage("*does not resolve*");
    }
}
