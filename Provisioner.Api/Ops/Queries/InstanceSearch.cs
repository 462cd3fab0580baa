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
    int Page)
{
    public const int PageSize = 25;

    /// <summary>The same search on another page, as a query string for a link.</summary>
    public string QueryFor(int page)
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
        Add("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
