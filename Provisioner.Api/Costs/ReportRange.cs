using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Problems;

namespace Provisioner.Api.Costs;

/// <summary>
/// A reporting period [From, To) read from <c>from</c> and <c>to</c>: ISO 8601 dates (midnight UTC) or instants.
/// A bad value, an end not after the start, or a span over a year is a 400 problem naming the parameter.
/// </summary>
public readonly record struct ReportRange(DateTimeOffset? From, DateTimeOffset? To)
{
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(366);

    /// <param name="defaultSpan">When set, a missing <c>from</c> is this long before <c>to</c> and a missing <c>to</c> is now.</param>
    public static bool TryParse(string? from, string? to, DateTimeOffset now, TimeSpan? defaultSpan, out ReportRange range, out ProblemHttpResult? problem)
    {
        range = default;
        problem = null;
        if (!TryParseInstant(from, out var start))
        {
            problem = ApiProblems.InvalidQuery("from", ProblemCodes.InvalidValue, "from must be an ISO 8601 date (2026-12-01) or date and time (2026-12-01T08:00:00Z).");
            return false;
        }

        if (!TryParseInstant(to, out var end))
        {
            problem = ApiProblems.InvalidQuery("to", ProblemCodes.InvalidValue, "to must be an ISO 8601 date (2026-12-31) or date and time (2026-12-31T18:00:00Z).");
            return false;
        }

        if (defaultSpan is { } span)
        {
            end ??= now;
            start ??= end - span;
        }
        else if (start is not null)
        {
            end ??= now;
        }

        if (start is { } s && end is { } e)
        {
            if (e <= s)
            {
                problem = ApiProblems.InvalidQuery("to", ProblemCodes.InvalidRange, $"to ({e:O}) must be after from ({s:O}).");
                return false;
            }

            if (e - s > MaxSpan)
            {
                problem = ApiProblems.InvalidQuery("to", ProblemCodes.RangeTooLong, $"from and to may be at most {MaxSpan.TotalDays:0} days apart.");
                return false;
            }
        }

        range = new ReportRange(start, end);
        return true;
    }

    private static bool TryParseInstant(string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (value is null)
        {
            return true;
        }

        if (value.Length is > 0 and <= 40 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && (value.Length == 10 || value.Contains('T', StringComparison.Ordinal)))
        {
            instant = parsed;
            return true;
        }

        return false;
    }
}
