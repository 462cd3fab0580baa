using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// How a run that went on past a failing call says so: the regions it could not read (each with the cloud's words) and
/// the machines it skipped. The text starts with <see cref="Prefix"/> so the Reconciliation page and <c>/health/ready</c>
/// can tell a partial run from one that stopped early.
/// </summary>
public static class PartialRuns
{
    public const string Prefix = "partial: ";

    private const int MaxLength = 2000;

    /// <returns>Null when the run read every region and skipped nothing.</returns>
    public static string? Summary(IReadOnlyCollection<UnreadRegion> unread, string? skipped)
    {
        if (unread.Count == 0)
        {
            return skipped;
        }

        var regions = string.Join("; ", unread.GroupBy(u => u.Region, StringComparer.Ordinal)
            .Select(g => $"{g.Key} unread ({g.First().Error.ToFailureReason()})"));
        var summary = $"{Prefix}{regions}{(skipped is null ? string.Empty : $"; {skipped}")}";
        return summary.Length <= MaxLength ? summary : summary[..(MaxLength - 1)] + "…";
    }
}
