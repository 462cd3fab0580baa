using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>The machines one run could not act on, kept so the run's record says how many and why.</summary>
internal sealed class SkippedMachines
{
    private readonly List<(string What, CloudProviderException Error)> _skipped = [];

    public int Count => _skipped.Count;

    public void Add(string what, CloudProviderException error) => _skipped.Add((what, error));

    /// <summary>Null when nothing was skipped; else the count and the first failure, in the cloud's words.</summary>
    public string? Summary()
    {
        if (_skipped.Count == 0)
        {
            return null;
        }

        var summary = $"{_skipped.Count} machine(s) skipped, retried next run; first: {_skipped[0].What}: {_skipped[0].Error.ToFailureReason()}";
        // The run's record keeps at most 2,000 characters.
        return summary.Length <= MaxLength ? summary : summary[..(MaxLength - 1)] + "…";
    }

    private const int MaxLength = 2000;
}
