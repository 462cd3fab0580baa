namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// The transaction lock on one offer (type and region) of the simulated cloud. A launch of an offer without a limit
/// takes it shared, so such launches run side by side; a launch that must count the offer's live machines takes it
/// exclusively, and so does a change of the limit. A count therefore never misses a launch still being written, and
/// a launch never meets a limit set after it decided there was none.
/// </summary>
internal static class SimulatedCapacityLock
{
    /// <summary>The lock's key for the offer in parameters <c>$1</c> (type) and <c>$2</c> (region).</summary>
    public const string Key = "hashtext('simulated-capacity:' || $1 || '/' || $2)";

    /// <summary>Taken by a change of the offer's limit, before it writes.</summary>
    public const string TakeExclusive = $"SELECT pg_advisory_xact_lock({Key})";
}
