namespace Provisioner.Core.Providers;

/// <summary>
/// A worker's circuit breaker for one provider and region, as it last changed. Each worker breaks on what it
/// sees itself; the table lets every process (the API's health, the dashboard) see an open circuit anywhere.
/// </summary>
public sealed class ProviderCircuit
{
    public const string Closed = "CLOSED";
    public const string Open = "OPEN";
    public const string HalfOpen = "HALF_OPEN";

    private ProviderCircuit()
    {
        Backend = Region = Node = State = string.Empty;
    }

    public ProviderCircuit(string backend, string region, string node)
    {
        Backend = backend;
        Region = region;
        Node = node;
        State = Closed;
    }

    public string Backend { get; private set; }
    public string Region { get; private set; }

    /// <summary>The worker whose breaker this is.</summary>
    public string Node { get; private set; }

    public string State { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>While open: when the breaker will let a trial call through.</summary>
    public DateTimeOffset? OpenUntil { get; private set; }

    /// <summary>The failure that opened it, in the cloud's words.</summary>
    public string? LastError { get; private set; }

    public void Record(string state, DateTimeOffset now, DateTimeOffset? openUntil, string? lastError)
    {
        State = state;
        ChangedAt = now;
        OpenUntil = openUntil;
        LastError = lastError ?? LastError;
    }
}
