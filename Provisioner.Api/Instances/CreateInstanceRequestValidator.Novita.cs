using FluentValidation;
using Provisioner.Api.Problems;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using static Provisioner.Api.Instances.InstanceLimits;

namespace Provisioner.Api.Instances;

/// <summary>
/// The NovitaAI service's rules, with its errors as field problems: an empty name, an unknown product, a template id
/// that is not a positive number, a GPU count outside 1-8, a root disk outside 10-1000 GB, a region the product is not
/// sold in. (A webhook URL that is not http or https is refused by the handler's webhook policy, as for the original design's shape.)
/// </summary>
public sealed partial class CreateInstanceRequestValidator
{
    private static void ValidateNovita(CreateInstanceRequest request, ValidationContext<CreateInstanceRequest> context, InstanceTypeCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            Fail(context, "name", ProblemCodes.Required, "name is required.");
        }
        else if (request.Name.Length > MaxIdLength)
        {
            Fail(context, "name", ProblemCodes.TooLong, $"name is longer than {MaxIdLength} characters.");
        }
        else if (!IdRegex().IsMatch(request.Name))
        {
            Fail(context, "name", ProblemCodes.InvalidCharacters, "name may hold only letters, digits and . _ @ : + -");
        }

        InstanceTypeOffer? product = null;
        if (string.IsNullOrWhiteSpace(request.ProductName))
        {
            Fail(context, "productName", ProblemCodes.Required, "productName is required.");
        }
        else if (!catalog.TryFind(CloudProviderName.Novita, request.ProductName, out var found))
        {
            Fail(context, "productName", ProblemCodes.ProductNotFound,
                $"NovitaAI sells no product '{Shorten(request.ProductName)}'. Products: {string.Join(", ", catalog.TypesOf(CloudProviderName.Novita))}.");
        }
        else
        {
            product = found;
        }

        if (request.TemplateId is null)
        {
            Fail(context, "templateId", ProblemCodes.Required, "templateId is required.");
        }
        else if (RequestShapes.TemplateIdOf(request.TemplateId) is null)
        {
            Fail(context, "templateId", ProblemCodes.InvalidTemplateId, "templateId must be a positive integer.");
        }

        if (request.AutoTerminateMinutes is < MinAutoTerminateMinutes or > MaxAutoTerminateMinutes)
        {
            Fail(context, "autoTerminateMinutes", ProblemCodes.AutoTerminateOutOfRange,
                $"Auto-terminate must be between {MinAutoTerminateMinutes} and {MaxAutoTerminateMinutes} minutes.");
        }

        if (request.GpuNum is null)
        {
            Fail(context, "gpuNum", ProblemCodes.Required, "gpuNum is required.");
        }
        else if (request.GpuNum is < RequestShapes.MinGpuNum or > RequestShapes.MaxGpuNum)
        {
            Fail(context, "gpuNum", ProblemCodes.GpuNumOutOfRange, $"gpuNum must be between {RequestShapes.MinGpuNum} and {RequestShapes.MaxGpuNum}.");
        }

        if (request.RootfsSize is null)
        {
            Fail(context, "rootfsSize", ProblemCodes.Required, "rootfsSize is required.");
        }
        else if (request.RootfsSize is < RequestShapes.MinRootfsSize or > RequestShapes.MaxRootfsSize)
        {
            Fail(context, "rootfsSize", ProblemCodes.RootfsSizeOutOfRange,
                $"rootfsSize must be between {RequestShapes.MinRootfsSize} and {RequestShapes.MaxRootfsSize} GB.");
        }

        if (request.Region is { } region && product is not null && !product.Regions.Contains(region))
        {
            Fail(context, "region", ProblemCodes.RegionNotOffered,
                $"{product.Name} is not sold in region '{Shorten(region)}'. Sold in: {string.Join(", ", product.Regions)}.");
        }
    }
}
