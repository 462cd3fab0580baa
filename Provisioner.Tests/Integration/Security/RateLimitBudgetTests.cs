using System.Net;
using System.Text.RegularExpressions;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>
/// Whose budget a request spends: an operator's console session its own, an unknown key its address's before any
/// database read, and a client behind a known proxy the address the proxy names (anyone else's header is ignored).
/// </summary>
public sealed partial class RateLimitBudgetTests(RateLimitBudgetTests.BudgetStack stack) : IClassFixture<RateLimitBudgetTests.BudgetStack>
{
    /// <summary>Anonymous callers get one request a second after a burst of five; keys and sessions the defaults.</summary>
    public sealed class BudgetStack : ProvisionerStack
    {
        protected override int WorkerCount => 0;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["RateLimits__AnonymousPermitsPerSecond"] = "1",
            ["RateLimits__AnonymousBurst"] = "5",
        };
    }

    [Fact]
    public async Task SignedInOperator_IsNotLockedOut_ByAnAnonymousFloodFromTheSameAddress()
    {
        using var operatorBrowser = await SignInAsync(stack.AdminKey);
        using var anonymous = stack.CreateClient(null);

        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => anonymous.GetAsync("/api/instance-types")));
        var console = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var page = await operatorBrowser.GetAsync("/ops/instances");
            console.Add(page.StatusCode);
        }

        using var stranger = new HttpClient { BaseAddress = stack.Api.BaseAddress };
        using var login = await stranger.GetAsync("/ops/login");

        flood.Should().Contain(r => r.StatusCode == HttpStatusCode.TooManyRequests, "the flood spends the address's anonymous budget");
        console.Should().OnlyContain(s => s == HttpStatusCode.OK, "a session has a budget of its own");
        login.StatusCode.Should().Be(HttpStatusCode.OK, "the login page's budget is not the API's anonymous one");
        foreach (var response in flood)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task UnknownKeys_AreLimitedBeforeTheirLookup_AndARepeatedOneIsReadOnce()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        var before = await LookupsAsync(admin);

        // One unknown key, over and over: its absence is remembered after the first read.
        var repeated = $"prov_{new string('Q', 12)}_{new string('B', 43)}";
        using var same = stack.CreateClient(repeated);
        var sameAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var answer = await same.GetAsync("/api/instances");
            sameAnswers.Add(answer.StatusCode);
        }

        // A different made-up key each time, all at once: the address's budget (burst 1) is spent before the reads.
        var made = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var client = stack.CreateClient($"prov_{i:D12}_{new string('C', 43)}");
            using var answer = await client.GetAsync("/api/instances");
            return (answer.StatusCode, RetryAfter: answer.Headers.RetryAfter);
        }));

        var after = await LookupsAsync(admin);
        sameAnswers.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        made.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests).Should().BeGreaterThan(80);
        made.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).Should().OnlyContain(a => a.RetryAfter != null);
        (after - before).Should().BeLessThan(15, "130 requests with unknown keys may not cost 130 key reads (before: one each)");
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnknownProxy_IsIgnored()
    {
        // No proxy is configured: a caller naming a new address in each request still spends its own budget.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var client = stack.CreateClient(null);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var answer = await client.GetAsync("/api/instance-types");
            return answer.StatusCode;
        }));

        answers.Should().Contain(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Signs in at <c>/ops/login</c> as a browser would (its form and antiforgery token): a client with the session cookie.</summary>
    private async Task<HttpClient> SignInAsync(string key)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = stack.Api.BaseAddress,
        };
        var form = await client.GetStringAsync("/ops/login");
        var fields = HiddenInputRegex().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Form.Key"] = key;
        using var signedIn = await client.PostAsync("/ops/login", new FormUrlEncodedContent(fields));
        signedIn.StatusCode.Should().Be(HttpStatusCode.Found, await signedIn.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>
    /// Unknown keys read from the database so far. The admin key's own read may wait for the address's lookup budget
    /// (it is one more key this process does not remember): waited for as Retry-After says, within a deadline.
    /// </summary>
    private static async Task<double> LookupsAsync(HttpClient admin)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await admin.GetAsync("/metrics");
            if (response.StatusCode != HttpStatusCode.TooManyRequests || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                return new PrometheusText(await response.Content.ReadAsStringAsync()).Sum("provisioner_api_key_lookups_total", ("result", "missing"));
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInputRegex();
}

/// <summary>Behind a known proxy (127.0.0.1, as the test's client is), each forwarded client address gets its own budget.</summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.ProxiedStack stack) : IClassFixture<ForwardedHeadersTests.ProxiedStack>
{
    public sealed class ProxiedStack : ProvisionerStack
    {
        protected override int WorkerCount => 0;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Proxy__KnownProxies__0"] = "127.0.0.1",
            ["RateLimits__AnonymousPermitsPerSecond"] = "1",
            ["RateLimits__AnonymousBurst"] = "2",
        };
    }

    [Fact]
    public async Task ClientsBehindAKnownProxy_HaveABudgetEach_AndOneClientsFloodIsItsOwn()
    {
        var spread = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => GetAsFromAsync($"198.51.100.{i + 1}")));
        var flood = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetAsFromAsync("198.51.100.200")));

        // (Anonymous, so 401; what matters is that none of them was limited.)
        spread.Should().NotContain(HttpStatusCode.TooManyRequests, "eight clients, one request each");
        flood.Should().Contain(HttpStatusCode.TooManyRequests, "one client, eight requests, a burst of two");
    }

    private async Task<HttpStatusCode> GetAsFromAsync(string client)
    {
        using var http = stack.CreateClient(null);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        using var answer = await http.GetAsync("/api/instance-types");
        return answer.StatusCode;
    }
}
