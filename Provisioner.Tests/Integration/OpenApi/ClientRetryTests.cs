using System.Net;
using Provisioner.Client;

namespace Provisioner.Tests.Integration.OpenApi;

/// <summary>
/// The client against the API's real rate limiter (2 requests a second per key): 429s are retried after the
/// Retry-After the API sends, so a burst of calls all succeed; with no retries the 429 is the rate_limited problem.
/// </summary>
[Collection(RateLimitedApiCollection.Name)]
public sealed class ClientRetryTests(RateLimitedApiStack stack)
{
    [Fact]
    public async Task Burst_IsRetriedAfterRetryAfter_AndEveryCallSucceeds()
    {
        var seen = new StatusRecorder(new HttpClientHandler());
        using var http = new HttpClient(seen);
        using var sut = new ProvisionerClient(http, new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = await stack.Database.CreateApiKeyAsync("burst") });

        for (var i = 0; i < 6; i++)
        {
            (await sut.ListInstanceTypesAsync()).Should().NotBeEmpty();
        }

        seen.Statuses.Should().Contain(HttpStatusCode.TooManyRequests, "six calls at once exceed two a second");
        seen.Statuses.Count(s => s == HttpStatusCode.OK).Should().Be(6);
    }

    [Fact]
    public async Task WithoutRetries_The429_IsTheRateLimitedProblem_WithItsRetryAfter()
    {
        using var sut = new ProvisionerClient(new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = await stack.Database.CreateApiKeyAsync("impatient"), MaxRetries = 0 });

        var thrown = await FluentActions.Awaiting(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await sut.ListInstanceTypesAsync();
            }
        }).Should().ThrowAsync<ProvisionerProblemException>();

        (thrown.Which.Status, thrown.Which.Code).Should().Be((HttpStatusCode.TooManyRequests, "rate_limited"));
        thrown.Which.RetryAfter.Should().BeGreaterThan(TimeSpan.Zero);
    }

    private sealed class StatusRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public System.Collections.Concurrent.ConcurrentQueue<HttpStatusCode> Statuses { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Statuses.Enqueue(response.StatusCode);
            return response;
        }
    }
}
