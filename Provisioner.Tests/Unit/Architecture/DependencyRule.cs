using NetArchTest.Rules;

namespace Provisioner.Tests.Unit.Architecture;

/// <summary>
/// The dependency rule, as code the tests apply to Core and to fixtures made to break it. The domain (the instance,
/// its lifecycle and work, placement ranking and billing rules) knows no database, web framework or cloud SDK, and
/// none of the folders that do: infrastructure depends on the domain, never the other way.
/// </summary>
public static class DependencyRule
{
    /// <summary>The packages of infrastructure: the database, the web framework, the clouds' SDKs.</summary>
    public static readonly string[] Infrastructure =
        ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.AspNetCore", "Amazon", "Azure", "Hangfire"];

    /// <summary>Core's folders that hold infrastructure (persistence, hosting, the adapters, the job plumbing).</summary>
    public static readonly string[] InfrastructureFolders =
    [
        "Provisioner.Core.Persistence", "Provisioner.Core.Hosting", "Provisioner.Core.Providers.Aws", "Provisioner.Core.Providers.Azure",
        "Provisioner.Core.Providers.Novita", "Provisioner.Core.Providers.Simulated", "Provisioner.Core.Jobs", "Provisioner.Core.Lifecycle",
        "Provisioner.Core.Webhooks", "Provisioner.Core.Telemetry",
    ];

    /// <summary>The domain's namespace in Core.</summary>
    public const string DomainNamespace = "Provisioner.Core.Instances";

    /// <summary>The domain's types outside it: placement ranking and billing rules.</summary>
    public static readonly Type[] DomainTypesElsewhere =
    [
        typeof(Provisioner.Core.Placement.OfferRanker), typeof(Provisioner.Core.Placement.RankedOffer), typeof(Provisioner.Core.Placement.PlacementPlan),
        typeof(Provisioner.Core.Billing.BillingRule), typeof(Provisioner.Core.Billing.CostCurve),
    ];

    /// <summary>Applies the rule to <paramref name="domain"/>: the types that break it, by name (none when it holds).</summary>
    public static IReadOnlyList<string> Breaches(PredicateList domain)
    {
        var packages = domain.ShouldNot().HaveDependencyOnAny(Infrastructure).GetResult();
        var folders = domain.ShouldNot().HaveDependencyOnAny(InfrastructureFolders).GetResult();
        return [.. (packages.FailingTypeNames ?? []).Concat(folders.FailingTypeNames ?? []).Distinct()];
    }
}
