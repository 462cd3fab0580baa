using Provisioner.Core.Instances;

namespace Provisioner.Api.Ops.Queries;

/// <summary>What the Instances page searches by; every field is optional, and they combine with AND.</summary>
internal sealed record InstanceSearch(
    string? Id,
    string? Tenant,
    string? User,
    InstanceStatus? State,
    CloudProviderName? Provider,
    string? Region,
    DateOnly? CreatedFrom,
    DateOnly? CreatedTo,
    int Page,
    string? Sort = null)
{
    public const int PageSize = 25;

    /// <summary>The columns a list may be sorted by (<c>sort=cost</c> ascending, <c>sort=-cost</c> descending); newest first otherwise.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["created", "cost", "state", "tenant"];

    /// <summary>The sort asked for when it is one of <see cref="SortKeys"/>, else newest first.</summary>
    public (string Key, bool Descending) Order =>
        Sort is { Length: > 0 } text && SortKeys.Contains(text.TrimStart('-'), StringComparer.Ordinal)
            ? (text.TrimStart('-'), text.StartsWith('-'))
            : ("created", true);

    /// <summary>The link of a column heading: its sort, or the other way round when it is the current one.</summary>
    public string SortLink(string key) =>
        QueryFor(1, Order.Key == key && !Order.Descending ? "-" + key : key);

    /// <summary>The same search on another page, as a query string for a link.</summary>
    public string QueryFor(int page) => QueryFor(page, Sort);

    private string QueryFor(int page, string? sort)
    {
        var pairs = new List<string>();
        Add("id", Id);
        Add("tenant", Tenant);
        Add("user", User);
        Add("state", State?.ToString().ToUpperInvariant());
        Add("provider", Provider?.ToString().ToUpperInvariant());
        Add("region", Region);
        Add("from", CreatedFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", CreatedTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("sort", sort);
        Add("page", page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "?" + string.Join("&", pairs);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }
}
