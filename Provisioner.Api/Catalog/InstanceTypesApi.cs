using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Instances;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Catalog;

/// <summary><c>/api/instance-types</c>: what can be asked for, where, and at what price.</summary>
public static class InstanceTypesApi
{
    public static IEndpointRouteBuilder MapInstanceTypesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/instance-types", List)
            .WithTags("Catalog")
            .RequireAuthorization(Policies.AnyKey)
            .WithName("ListInstanceTypes")
            .WithSummary("The instance types each provider offers, with GPUs, sizes, regions and hourly prices.");
        return endpoints;
    }

    private static Results<Ok<InstanceTypesEnvelope>, ProblemHttpResult> List(string? provider, InstanceTypeCatalog catalog)
    {
        var offers = catalog.All.AsEnumerable();
        if (provider is not null)
        {
            if (!catalog.Providers.Any(p => CreateInstanceRequestValidator.ProviderName(p) == provider))
            {
                return ApiProblems.InvalidQuery("provider", ProblemCodes.UnknownProvider,
                    $"Unknown provider. Use one of: {string.Join(", ", catalog.Providers.Select(CreateInstanceRequestValidator.ProviderName).Order())}.");
            }

            offers = offers.Where(o => CreateInstanceRequestValidator.ProviderName(o.Provider) == provider);
        }

        var types = offers.Select(o => new InstanceTypeResponse(o.Provider.ToString().ToUpperInvariant(), o.Name, o.Gpu, o.Vcpus, o.MemoryGiB, Money.Normalize(o.PricePerHour), o.Regions)).ToList();
        return TypedResults.Ok(new InstanceTypesEnvelope(true, types, types.Count));
    }
}

public sealed record InstanceTypeResponse(string Provider, string Name, GpuSpec Gpu, int Vcpus, int MemoryGiB, decimal CostPerHour, IReadOnlyList<string> Regions);

public sealed record InstanceTypesEnvelope(bool Success, IReadOnlyList<InstanceTypeResponse> InstanceTypes, int Count);
