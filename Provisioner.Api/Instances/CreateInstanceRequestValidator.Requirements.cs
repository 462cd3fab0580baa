using FluentValidation;
using Provisioner.Api.Problems;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Api.Instances;

/// <summary>
/// The original design's request shape, <c>config.requirements</c>: what a machine needs instead of which machine. Refused when it comes
/// with an exact machine, when a field is out of range, and when no offer of the allowed providers and regions fits at
/// any price; a price ceiling nothing meets is the create's own <c>no_offer_within_price</c>.
/// </summary>
public sealed partial class CreateInstanceRequestValidator
{
    public const int MaxGpuMemoryGiB = 1024;
    public const int MaxRequirementListLength = 32;

    private static void ValidateRequirements(
        InstanceConfigRequest config, RequirementsRequest requirements, ValidationContext<CreateInstanceRequest> context,
        InstanceTypeCatalog catalog, ICloudCapabilities capabilities)
    {
        var exact = new (string Field, bool Present)[]
        {
            ("provider", config.Provider is not null), ("instanceType", config.InstanceType is not null),
            ("region", config.Region is not null), ("spotMaxPrice", config.SpotMaxPrice is not null),
        }.Where(f => f.Present).Select(f => f.Field).ToList();
        if (exact.Count > 0)
        {
            Fail(context, "config.requirements", ProblemCodes.ExactAndRequirements,
                $"config names a machine ({string.Join(", ", exact)}) and states requirements: send one or the other.");
            return;
        }

        if (ToPlacementRequest(requirements, catalog, context) is { } needs
            && new OfferRanker(catalog, capabilities).Rank(needs with { MaxPricePerHour = null }, []).Count == 0)
        {
            Fail(context, "config.requirements", ProblemCodes.NoOfferFits,
                "No offer of the allowed providers and regions has these GPUs. GET /api/offers shows what is offered.");
        }
    }

    /// <summary>The requirements as the placer takes them, or null (with the failures added) when a field is invalid.</summary>
    internal static PlacementRequest? ToPlacementRequest(RequirementsRequest r, InstanceTypeCatalog catalog, ValidationContext<CreateInstanceRequest>? context)
    {
        var valid = true;
        void Refuse(string field, string code, string message)
        {
            valid = false;
            if (context is not null)
            {
                Fail(context, $"config.requirements.{field}", code, message);
            }
        }

        if (string.IsNullOrWhiteSpace(r.Gpu))
        {
            Refuse("gpu", ProblemCodes.Required, "requirements.gpu is required (a GPU model: T4, A10G, L4, A100, H100, RTX 4090 ...).");
        }
        else if (r.Gpu.Length > 32)
        {
            Refuse("gpu", ProblemCodes.TooLong, "requirements.gpu is longer than 32 characters.");
        }

        if (r.GpuCount is < RequestShapes.MinGpuNum or > RequestShapes.MaxGpuNum)
        {
            Refuse("gpuCount", ProblemCodes.OutOfRange, $"requirements.gpuCount must be between {RequestShapes.MinGpuNum} and {RequestShapes.MaxGpuNum}.");
        }

        if (r.MinGpuMemoryGiB is < 1 or > MaxGpuMemoryGiB)
        {
            Refuse("minGpuMemoryGiB", ProblemCodes.OutOfRange, $"requirements.minGpuMemoryGiB must be between 1 and {MaxGpuMemoryGiB}.");
        }

        if (r.MaxPricePerHour is <= 0 or > InstanceLimits.MaxSpotMaxPrice)
        {
            Refuse("maxPricePerHour", ProblemCodes.OutOfRange,
                $"requirements.maxPricePerHour must be positive and at most {InstanceLimits.MaxSpotMaxPrice} USD per hour.");
        }

        var providers = new HashSet<CloudProviderName>();
        if (r.Providers is { } names)
        {
            if (names.Length is 0 or > MaxRequirementListLength)
            {
                Refuse("providers", ProblemCodes.OutOfRange, $"requirements.providers must list 1-{MaxRequirementListLength} providers, or be left out.");
            }

            foreach (var name in names)
            {
                var known = catalog.Providers.Where(p => ProviderName(p) == name).Select(p => (CloudProviderName?)p).FirstOrDefault();
                if (known is { } p)
                {
                    providers.Add(p);
                }
                else
                {
                    Refuse("providers", ProblemCodes.UnknownProvider,
                        $"Unknown provider '{Shorten(name ?? "")}'. Supported: {string.Join(", ", catalog.Providers.Select(ProviderName).Order())}.");
                }
            }
        }

        if (r.Regions is { Length: 0 or > MaxRequirementListLength } || r.Regions?.Any(string.IsNullOrEmpty) == true)
        {
            Refuse("regions", ProblemCodes.OutOfRange, $"requirements.regions must list 1-{MaxRequirementListLength} regions, or be left out.");
        }

        var spot = SpotPreference.Never;
        if (r.Spot is not null && !(r.Spot is "never" or "preferred" or "required" && Enum.TryParse(r.Spot, ignoreCase: true, out spot)))
        {
            Refuse("spot", ProblemCodes.InvalidValue, "requirements.spot must be one of: never, preferred, required.");
        }

        return valid
            ? new PlacementRequest(r.Gpu!.Trim(), r.GpuCount ?? 1, r.MinGpuMemoryGiB, r.MaxPricePerHour,
                r.Providers is null ? null : providers, r.Regions?.ToHashSet(StringComparer.Ordinal), spot, r.PreferWarm ?? false)
            : null;
    }
}
