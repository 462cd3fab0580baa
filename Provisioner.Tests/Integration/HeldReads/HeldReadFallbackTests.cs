using System.Net;

namespace Provisioner.Tests.Integration.HeldReads;

/// <summary>A change the database never announced is still found, by the held read's fallback poll.</summary>
public sealed class HeldReadFallbackTests(FastFallbackStack stack) : IClassFixture<FastFallbackStack>
{
    [Fact]
    public async Task ChangeWithoutANotice_IsFoundByTheFallbackPoll()
    {
        var (id, etag) = await stack.CreateAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var held = stack.ReadAsync(id, etag, "wait=30");
        await stack.TouchUnannouncedAsync(id);
        using var response = await held;

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(25), "the fallback poll looks again every 200 ms, long before the 30 s wait runs out");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.ETag!.ToString().Should().NotBe(etag);
    }
}
