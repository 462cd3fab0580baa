using System.Text.RegularExpressions;

namespace Provisioner.Core.Catalog;

/// <summary>
/// Matches a name from our catalog to the cloud's own spelling of it, so a launch never fails on a difference the
/// cloud's list resolves: case, spacing and punctuation ("h100 sxm 80gb"), and known aliases — a form factor's
/// generation ("SXM" for "SXM4"/"SXM5") and "GB"/"G" for memory. Only a single match counts: two of the cloud's
/// names that read the same are left to an operator.
/// </summary>
public static partial class CatalogNames
{
    /// <summary>The cloud's name for <paramref name="wanted"/> among <paramref name="offered"/>, exact first; null when none (or several) match.</summary>
    public static T? Resolve<T>(string wanted, IEnumerable<T> offered, Func<T, string> nameOf)
        where T : class
    {
        var all = offered.ToList();
        if (all.FirstOrDefault(o => nameOf(o) == wanted) is { } exact)
        {
            return exact;
        }

        var key = Canonical(wanted);
        var matches = all.Where(o => Canonical(nameOf(o)) == key).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Whether two names are the same product as far as <see cref="Resolve"/> is concerned.</summary>
    public static bool Same(string? first, string? second) =>
        first == second || (first is not null && second is not null && Canonical(first) == Canonical(second));

    /// <summary>Upper case, letters and digits only, SXM without its generation, memory in "G".</summary>
    public static string Canonical(string name)
    {
        var upper = NotAlphanumeric().Replace(name.ToUpperInvariant(), " ").Trim();
        var aliased = SxmGeneration().Replace(upper, "SXM");
        aliased = MemoryUnit().Replace(aliased, "$1G");
        return aliased.Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>
    /// The GPU a product name is for, as the first word holding a digit in upper case ("RTX 4090 24GB" → <c>4090</c>,
    /// "H100 SXM 80GB" → <c>H100</c>); the whole canonical name when no word has one.
    /// </summary>
    public static string GpuFamilyOf(string name) =>
        NotAlphanumeric().Replace(name.ToUpperInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(word => word.Any(char.IsAsciiDigit)) ?? Canonical(name);

    [GeneratedRegex("[^A-Z0-9]+")]
    private static partial Regex NotAlphanumeric();

    [GeneratedRegex(@"\bSXM[0-9]\b")]
    private static partial Regex SxmGeneration();

    [GeneratedRegex(@"\b([0-9]+) ?GB\b")]
    private static partial Regex MemoryUnit();
}
