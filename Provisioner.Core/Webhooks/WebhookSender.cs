using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Makes one attempt at a delivery: claims it (so a job run twice sends once), signs and POSTs the stored body, and
/// records what happened. Failures are recorded, never thrown: the delivery's own schedule decides the next attempt.
/// </summary>
public sealed class WebhookSender(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    WebhookHttpClient http,
    WebhookHostLimiter hosts,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    /// <summary>A busy receiver's delivery waits this long before it is tried again, attempt not counted.</summary>
    public static readonly TimeSpan BusyHostDelay = TimeSpan.FromSeconds(2);

    public async Task<WebhookSendResult> SendAsync(Guid deliveryId, Guid ticket, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        WebhookDelivery? delivery;
        await using (var claim = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Read under the row's lock: the relay writes this job's ticket in a transaction it commits only after the
            // job engine already holds the job, so a job that starts at once must wait for that commit. A plain read
            // would find no ticket yet, call the job stale, and leave the delivery until the relay's lost-job check
            // (a minute) handed it off again.
            delivery = (await db.WebhookDeliveries
                .FromSql($"SELECT *, xmin FROM provisioner.webhook_deliveries WHERE id = {deliveryId} FOR UPDATE")
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (delivery is null || !delivery.Claim(ticket, clock.GetUtcNow()))
            {
                return WebhookSendResult.Stale;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await claim.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return WebhookSendResult.Stale;
            }
        }

        var host = new Uri(delivery.Url).Authority;
        using var lease = hosts.TryAcquire(host);
        if (lease is null)
        {
            delivery.Defer(BusyHostDelay, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return WebhookSendResult.Deferred;
        }

        var tenant = await db.TenantWebhooks.AsNoTracking().SingleAsync(t => t.Owner == delivery.Owner, cancellationToken);
        var attempt = await AttemptAsync(delivery, tenant, delivery.Attempts + 1, cancellationToken);
        var settings = options.CurrentValue;
        db.WebhookAttempts.Add(attempt);
        delivery.Record(attempt, RetryBackoff.After(attempt.Number, settings.RetryInitialDelay, settings.RetryMaxDelay), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.DeliveryAttempted(delivery.Id, delivery.EventType, attempt.Number, attempt.StatusCode?.ToString() ?? attempt.Error, delivery.Status);
        }

        return WebhookSendResult.Attempted;
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookDelivery delivery, TenantWebhook tenant, int number, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var startedAt = clock.GetUtcNow();
        var timestamp = startedAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSigner.IdHeader, delivery.MessageId);
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(tenant.SigningSecrets(startedAt), delivery.MessageId, timestamp, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("Provisioner-Webhooks/1.0");

        var started = clock.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null
                : status is >= 300 and < 400 ? $"redirect to {response.Headers.Location} not followed" : $"HTTP {status}";
            string? excerpt;
            try
            {
                excerpt = await ReadExcerptAsync(response, settings.ResponseExcerptBytes, deadline.Token);
            }
            catch (Exception broken) when (broken is IOException or HttpRequestException
                || (broken is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The status came but the body did not (shorter than its Content-Length, a reset, too slow): the
                // receiver may not have finished with the event, so this counts as a failed attempt, never as none.
                excerpt = null;
                error = $"the answer broke off after HTTP {status}: {broken.Message}";
            }

            return new WebhookAttempt(delivery.Id, number, startedAt, status, Elapsed(started), error, excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(delivery.Id, number, startedAt, null, Elapsed(started), $"timed out after {settings.Timeout.TotalSeconds:0.###} s", null);
        }
        catch (HttpRequestException error)
        {
            var reason = error.InnerException is WebhookTargetRefusedException refused ? "target refused: " + refused.Message : error.Message;
            return new WebhookAttempt(delivery.Id, number, startedAt, null, Elapsed(started), reason, null);
        }
        catch (IOException error)
        {
            // HttpIOException and other transport failures outside HttpRequestException: still an attempt, recorded.
            return new WebhookAttempt(delivery.Id, number, startedAt, null, Elapsed(started), error.Message, null);
        }
    }

    /// <summary>At most <paramref name="limit"/> bytes of the body: a receiver cannot make us read a large answer.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (limit == 0)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var read = 0;
        int last;
        while (read < limit && (last = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += last;
        }

        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private int Elapsed(long started) => (int)Math.Min(int.MaxValue, clock.GetElapsedTime(started).TotalMilliseconds);
}
