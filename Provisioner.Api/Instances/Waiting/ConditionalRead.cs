using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances.Waiting;

/// <summary>
/// The HTTP side of reading an instance conditionally: its entity tag, <c>If-None-Match</c> (RFC 9110 §13.1.2) and
/// the <c>wait</c> preference (RFC 7240 §4.3) that holds an unchanged read until the instance changes.
/// </summary>
public static class ConditionalRead
{
    public const string PreferHeader = "Prefer";
    public const string PreferenceAppliedHeader = "Preference-Applied";

    /// <summary>
    /// Weak, from the row's version (PostgreSQL's <c>xmin</c>, new on every write): the body's accrued cost moves with
    /// the clock between writes, so two reads of one version are equivalent, not byte-identical.
    /// </summary>
    public static string ETagOf(Instance instance) => $"W/\"{instance.Version}\"";

    /// <summary>Whether the client already holds this version: any tag it sent matches by weak comparison, or it sent <c>*</c>.</summary>
    public static bool ClientHas(StringValues ifNoneMatch, string etag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch) || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The seconds the client would wait for a change, capped at <paramref name="max"/>; null without a usable
    /// <c>wait</c> preference. A preference the server cannot read is ignored, as RFC 7240 asks, never an error.
    /// </summary>
    public static TimeSpan? PreferredWait(StringValues prefer, TimeSpan max)
    {
        foreach (var header in prefer)
        {
            foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split(';', 2)[0].Split('=', 2, StringSplitOptions.TrimEntries);
                if (token.Length == 2 && token[0].Equals("wait", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(token[1].Trim('"'), System.Globalization.NumberStyles.None, null, out var seconds))
                {
                    var wait = TimeSpan.FromSeconds(seconds);
                    return wait < max ? wait : max;
                }
            }
        }

        return null;
    }
}
