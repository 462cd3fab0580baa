using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Provisioner.Tests.Fakes.Ec2;

public sealed partial class LocalEc2
{
    private readonly HashSet<string> _offered = [.. KnownTypes];
    private readonly HashSet<string> _notOffered = [];

    /// <summary>
    /// Types EC2 sells, in every region unless withdrawn with <see cref="Withdraw"/>; starts as the types RunInstances knows.
    /// Adding one here makes it offered (so a catalog check sees a type the catalog lacks).
    /// </summary>
    public void Offer(string instanceType)
    {
        lock (_offered)
        {
            _offered.Add(instanceType);
        }
    }

    /// <summary>The type is no longer offered in <paramref name="region"/> (as a new region may not sell an old family).</summary>
    public void Withdraw(string instanceType, string region)
    {
        lock (_offered)
        {
            _notOffered.Add($"{instanceType}@{region}");
        }
    }

    /// <summary>
    /// DescribeInstanceTypeOfferings as EC2 answers it: location type <c>region</c> (the default),
    /// <c>availability-zone</c> or <c>availability-zone-id</c>, filters <c>instance-type</c> (with <c>*</c> and <c>?</c>
    /// wildcards) and <c>location</c> only, <c>MaxResults</c> 5 to 1000, paged by <c>NextToken</c>.
    /// </summary>
    private XElement DescribeInstanceTypeOfferings(Dictionary<string, string> p, string region)
    {
        Allow(p, "Action", "Version", "LocationType", @"Filter\.\d+\.(Name|Value\.\d+)", "MaxResults", "NextToken");
        var locationType = p.GetValueOrDefault("LocationType") ?? "region";
        if (locationType is not ("region" or "availability-zone" or "availability-zone-id"))
        {
            throw new Ec2ErrorException("InvalidParameterValue", $"Value ({locationType}) for parameter locationType is invalid.");
        }

        var location = locationType == "region" ? region : region + "a";
        List<string> offered;
        lock (_offered)
        {
            offered = [.. _offered.Where(t => !_notOffered.Contains($"{t}@{region}")).Order(StringComparer.Ordinal)];
        }

        foreach (var (name, values) in Filters(p))
        {
            offered = name switch
            {
                "instance-type" => [.. offered.Where(t => values.Any(v => Wildcard(v).IsMatch(t)))],
                "location" => values.Contains(location) ? offered : [],
                _ => throw new Ec2ErrorException("InvalidParameterValue", $"The filter '{name}' is invalid"),
            };
        }

        var limit = 1000;
        if (p.TryGetValue("MaxResults", out var max) && (!int.TryParse(max, CultureInfo.InvariantCulture, out limit) || limit is < 5 or > 1000))
        {
            throw new Ec2ErrorException("InvalidParameterValue", "MaxResults must be between 5 and 1000.");
        }

        var start = p.TryGetValue("NextToken", out var token) ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var page = offered.Skip(start).Take(limit).ToList();
        var root = new XElement(XName.Get("DescribeInstanceTypeOfferingsResponse", Namespace),
            E("requestId", Guid.NewGuid().ToString()),
            new XElement(XName.Get("instanceTypeOfferingSet", Namespace), page.Select(t => new XElement(XName.Get("item", Namespace),
                E("instanceType", t), E("locationType", locationType), E("location", location)))));
        if (start + page.Count < offered.Count)
        {
            root.Add(E("nextToken", (start + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        return root;
    }

    private static Regex Wildcard(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$");
}
