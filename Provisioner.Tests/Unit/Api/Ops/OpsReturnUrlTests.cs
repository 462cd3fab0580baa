using Provisioner.Api.Ops;

namespace Provisioner.Tests.Unit.Api.Ops;

public sealed class OpsReturnUrlTests
{
    [Theory]
    [InlineData("/ops")]
    [InlineData("/ops/jobs")]
    [InlineData("/ops/jobs/retries?from=10")]
    public void Resolve_APageOfTheConsole_IsKept(string url) => OpsReturnUrl.Resolve(url).Should().Be(url);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.invalid/ops")]
    [InlineData("//evil.invalid/ops")]
    [InlineData("/\\evil.invalid")]
    [InlineData("/ops/..\\..\\evil")]
    [InlineData("/opsevil")]
    [InlineData("/api/admin/keys")]
    [InlineData("/ops/login")]
    [InlineData("/ops/\nlocation")]
    public void Resolve_AnythingElse_LeadsToTheOverview(string? url) => OpsReturnUrl.Resolve(url).Should().Be("/ops");
}
