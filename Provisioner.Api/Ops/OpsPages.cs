namespace Provisioner.Api.Ops;

/// <summary>The console's page addresses, for links; each page's <c>@page</c> spells the same path.</summary>
internal static class OpsPages
{
    public const string Overview = "/ops";
    public const string Instances = "/ops/instances";
    public const string Providers = "/ops/providers";
    public const string Costs = "/ops/costs";
    public const string Webhooks = "/ops/webhooks";
    public const string Reconciliation = "/ops/reconciliation";
    public const string Pools = "/ops/pools";
    public const string Audit = "/ops/audit";

    public static string Instance(Guid id) => $"{Instances}/{id}";
}
