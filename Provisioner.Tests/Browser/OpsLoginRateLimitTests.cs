using System.Net;
using Provisioner.Tests.Integration.Security;

namespace Provisioner.Tests.Browser;

/// <summary>The login form is under the API's rate limiter like any anonymous caller, so it is no faster way to guess keys.</summary>
public sealed class OpsLoginRateLimitTests(StingyStack stack) : IClassFixture<StingyStack>
{
    [Fact]
    public async Task LoginPage_IsRateLimited()
    {
        using var anonymous = stack.CreateClient(null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => anonymous.GetAsync("/ops/login")));

        answers.Should().Contain(r => r.StatusCode == HttpStatusCode.TooManyRequests, "one anonymous request a second is the budget");
        answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).Should().OnlyContain(r => r.Headers.RetryAfter != null);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }
}
