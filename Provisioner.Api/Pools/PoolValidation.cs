using System.Text.RegularExpressions;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Api.Problems;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Pools;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Pools;

/// <summary>The rules of a pool's fields, each broken rule a field error with its stable code.</summary>
internal static partial class PoolValidation
{
    public const int MaxMachines = 100;
    public const int MaxIdleMinutes = 1440;
    public const int MaxTenants = 100;

    public static PoolDefinition? Check(CreatePoolRequest request, InstanceTypeCatalog catalog, List<FieldError> errors)
    {
        if (request.Name is null || !NameRegex().IsMatch(request.Name))
        {
            errors.Add(new FieldError("name", request.Name is null ? ProblemCodes.Required : ProblemCodes.InvalidValue,
                "name must be 1-63 lower-case letters, digits and dashes, starting with a letter or digit."));
        }

        CloudProviderName provider = default;
        if (request.Provider is null)
        {
            errors.Add(new FieldError("provider", ProblemCodes.Required, "provider is required."));
        }
        else if (!EnumValue.TryParse(request.Provider, out provider) || !catalog.Providers.Contains(provider))
        {
            errors.Add(new FieldError("provider", ProblemCodes.UnknownProvider, $"provider must be one of {string.Join(", ", catalog.Providers.Select(p => p.ToString().ToUpperInvariant()))}."));
        }
        else
        {
            if (request.InstanceType is null)
            {
                errors.Add(new FieldError("instanceType", ProblemCodes.Required, "instanceType is required."));
            }
            else if (!catalog.TryFind(provider, request.InstanceType, out _))
            {
                errors.Add(new FieldError("instanceType", ProblemCodes.InstanceTypeNotOffered, $"{request.Provider} does not offer {request.InstanceType}."));
            }

            if (request.Region is null)
            {
                errors.Add(new FieldError("region", ProblemCodes.Required, "region is required."));
            }
            else if (!catalog.IsKnownRegion(provider, request.Region))
            {
                errors.Add(new FieldError("region", ProblemCodes.RegionNotOffered, $"{request.Provider} has no region {request.Region}."));
            }
        }

        var disk = request.DiskSizeGB ?? InstanceLimits.DefaultDiskSizeGB;
        if (disk < InstanceLimits.MinDiskSizeGB)
        {
            errors.Add(new FieldError("diskSizeGB", ProblemCodes.DiskSizeTooSmall, $"diskSizeGB must be at least {InstanceLimits.MinDiskSizeGB}."));
        }
        else if (disk > InstanceLimits.MaxDiskSizeGB)
        {
            errors.Add(new FieldError("diskSizeGB", ProblemCodes.DiskSizeTooLarge, $"diskSizeGB must be at most {InstanceLimits.MaxDiskSizeGB}."));
        }

        var size = CheckSize(new PoolSize(request.Min ?? 0, request.Max ?? Math.Max(1, request.Min ?? 0), request.IdleMinutes ?? 10, request.Autoscale ?? false), errors);
        var tenants = CheckTenants(request.Tenants, errors);
        return errors.Count > 0
            ? null
            : new PoolDefinition(request.Name!, provider, request.InstanceType!, request.Region!, disk, size, tenants!);
    }

    public static PoolSize CheckSize(PoolSize size, List<FieldError> errors)
    {
        if (size.Max is < 1 or > MaxMachines)
        {
            errors.Add(new FieldError("max", ProblemCodes.OutOfRange, $"max must be between 1 and {MaxMachines}."));
        }

        if (size.Min < 0 || size.Min > size.Max)
        {
            errors.Add(new FieldError("min", ProblemCodes.OutOfRange, "min must be between 0 and max."));
        }

        if (size.IdleMinutes is < 1 or > MaxIdleMinutes)
        {
            errors.Add(new FieldError("idleMinutes", ProblemCodes.OutOfRange, $"idleMinutes must be between 1 and {MaxIdleMinutes}."));
        }

        return size;
    }

    public static string[]? CheckTenants(string[]? tenants, List<FieldError> errors)
    {
        if (tenants is null)
        {
            return [];
        }

        if (tenants.Length > MaxTenants)
        {
            errors.Add(new FieldError("tenants", ProblemCodes.OutOfRange, $"tenants may list at most {MaxTenants}."));
        }

        for (var i = 0; i < tenants.Length; i++)
        {
            if (tenants[i] is null || !TenantRegex().IsMatch(tenants[i]))
            {
                errors.Add(new FieldError($"tenants[{i}]", ProblemCodes.InvalidValue, "a tenant is 1-63 lower-case letters, digits and dashes."));
            }
        }

        return [.. tenants.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(ApiKeyService.TenantPattern)]
    private static partial Regex TenantRegex();
}
