using System.Net.Http.Json;
using Provisioner.Client.Models;
using Provisioner.Client.Waiting;

namespace Provisioner.Client;

/// <summary>
/// Waiting for an instance to be usable or to end. Each read is held by the server until the instance changes
/// (<c>Prefer: wait</c>), so the wait ends the moment it can; against a server that does not hold reads, it polls with
/// a growing pause, cut short by webhooks.
/// </summary>
public sealed partial class ProvisionerClient
{
    /// <summary>Returns the instance once READY or RUNNING; throws <see cref="InstanceFailedException"/> if it ends first.</summary>
    public async Task<Instance> WaitUntilReadyAsync(Guid id, WaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var instance = await WaitAsync(id, i => InstanceStatuses.IsUsable(i.Status) || InstanceStatuses.IsFinal(i.Status), options, cancellationToken).ConfigureAwait(false);
        return InstanceStatuses.IsUsable(instance.Status) ? instance : throw new InstanceFailedException(instance);
    }

    /// <summary>Returns the instance once TERMINATED or FAILED.</summary>
    public Task<Instance> WaitUntilFinishedAsync(Guid id, WaitOptions? options = null, CancellationToken cancellationToken = default) =>
        WaitAsync(id, i => InstanceStatuses.IsFinal(i.Status), options, cancellationToken);

    private async Task<Instance> WaitAsync(Guid id, Func<Instance, bool> done, WaitOptions? options, CancellationToken cancellationToken)
    {
        options ??= new WaitOptions();
        var clock = _options.TimeProvider;
        var deadline = clock.GetUtcNow() + options.Timeout;
        var pause = options.InitialPollInterval;
        Instance? last = null;
        string? etag = null;
        while (true)
        {
            var changed = options.Signal?.NextChange(id);
            var read = await ReadChangedAsync(id, etag, HoldFor(options, deadline - clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            etag = read.ETag;
            if (read.Instance is { } instance)
            {
                if ((last is null || last.Status != instance.Status || last.UpdatedAt != instance.UpdatedAt) && options.OnChange is { } onChange)
                {
                    await onChange(instance, cancellationToken).ConfigureAwait(false);
                }

                last = instance;
                if (done(instance))
                {
                    return instance;
                }
            }

            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Instance {id} is still {last!.Status} after {options.Timeout}.");
            }

            // The server already waited for a change, or the read just learned the version to wait on: ask again at once.
            if (read.HeldByServer || (!read.AskedToHold && read.ETag is not null && HoldFor(options, left) >= TimeSpan.FromSeconds(1)))
            {
                continue;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(pause < left ? pause : left, clock, stop.Token);
            await (changed is null ? delay : Task.WhenAny(delay, changed)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var grown = pause * 1.5;
            pause = grown < options.MaxPollInterval ? grown : options.MaxPollInterval;
        }
    }

    /// <summary>How long the next read may be held: the option, within what is left and well inside the HTTP timeout.</summary>
    private TimeSpan HoldFor(WaitOptions options, TimeSpan left)
    {
        var hold = options.ServerWait < left ? options.ServerWait : left;
        if (_http.Timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return hold;
        }

        var underTimeout = _http.Timeout / 2;
        return hold < underTimeout ? hold : underTimeout;
    }

    /// <summary>
    /// One read. Knowing the version last seen (<paramref name="etag"/>), it asks the server to hold the read until the
    /// instance changes (<c>If-None-Match</c> with <c>Prefer: wait</c>); the instance is null when it has not changed.
    /// </summary>
    private async Task<(Instance? Instance, string? ETag, bool AskedToHold, bool HeldByServer)> ReadChangedAsync(
        Guid id, string? etag, TimeSpan hold, CancellationToken cancellationToken)
    {
        var seconds = (int)hold.TotalSeconds;
        var headers = etag is null || seconds < 1
            ? null
            : new Dictionary<string, string> { ["If-None-Match"] = etag, ["Prefer"] = $"wait={seconds}" };
        using var response = await SendRawAsync(HttpMethod.Get, $"/api/instances/{id}", null, headers, cancellationToken).ConfigureAwait(false);
        var tag = response.Headers.ETag?.ToString();
        // A server that did not hold the read (one older than held reads) leaves the pause to the client.
        var held = headers is not null && response.Headers.TryGetValues("Preference-Applied", out var applied)
            && applied.Any(value => value.StartsWith("wait", StringComparison.OrdinalIgnoreCase));
        if (response.StatusCode == System.Net.HttpStatusCode.NotModified)
        {
            return (null, tag ?? etag, headers is not null, held);
        }

        var envelope = await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ClientJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new System.Text.Json.JsonException($"GET /api/instances/{id} answered without a body.");
        return (envelope.Instance, tag, headers is not null, held);
    }
}
