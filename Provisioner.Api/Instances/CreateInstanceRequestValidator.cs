using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using Provisioner.Api.Problems;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;
using Provisioner.Core.Webhooks;
using static Provisioner.Api.Instances.InstanceLimits;

namespace Provisioner.Api.Instances;

/// <summary>
/// The original design's rules (disk ≥ 30 GB, auto-terminate 5-120 min) plus the catalog's (type and region must be offered) and
/// the provider's declared capabilities: a request asking a provider for what it cannot do is refused here, never
/// accepted and failed later.
/// </summary>
public sealed partial class CreateInstanceRequestValidator : AbstractValidator<CreateInstanceRequest>
{
    /// <param name="placement">The ceiling of <c>config.capacityWaitMinutes</c>; the default ceiling without it.</param>
    public CreateInstanceRequestValidator(InstanceTypeCatalog catalog, ICloudCapabilities capabilities, IOptions<PlacementOptions>? placement = null)
    {
        var maxWait = (placement?.Value ?? new PlacementOptions()).MaxCapacityWaitMinutes;
        RuleFor(r => r.Config!.CapacityWaitMinutes)
            .InclusiveBetween(0, maxWait).WithErrorCode(ProblemCodes.OutOfRange)
                .WithMessage($"capacityWaitMinutes must be between 0 and {maxWait} (Placement:MaxCapacityWaitMinutes).")
            .When(r => r.Config?.CapacityWaitMinutes is not null)
            .OverridePropertyName("config.capacityWaitMinutes");

        RuleFor(r => r.OnInterruption)
            .Must(policy => InterruptionPolicyNames.TryParse(policy, out _)).WithErrorCode(ProblemCodes.InvalidValue)
                .WithMessage($"onInterruption must be one of: {string.Join(", ", InterruptionPolicyNames.All)}.")
            .When(r => r.OnInterruption is not null)
            .OverridePropertyName("onInterruption");

        RuleFor(r => r.WebhookEvents)
            .Must(events => events!.Length is > 0 and <= WebhookLimits.MaxEvents).WithErrorCode(ProblemCodes.OutOfRange)
                .WithMessage($"webhookEvents must list 1-{WebhookLimits.MaxEvents} events.")
            .Must(events => events!.All(WebhookEventTypes.Known.Contains)).WithErrorCode(ProblemCodes.InvalidValue)
                .WithMessage($"webhookEvents may hold only: {string.Join(", ", WebhookEventTypes.Known)}.")
            .When(r => r.WebhookEvents is not null)
            .OverridePropertyName("webhookEvents");
        RuleFor(r => r.WebhookUrl)
            .NotNull().WithErrorCode(ProblemCodes.Required).WithMessage("webhookEvents needs a webhookUrl to send them to.")
            .When(r => r.WebhookEvents is not null)
            .OverridePropertyName("webhookUrl");

        // The shape is decided by the fields sent: a body mixing both is refused, whichever rules would have passed.
        RuleFor(r => r).Custom((request, context) =>
        {
            if (RequestShapes.IsMixed(request))
            {
                Fail(context, "body", ProblemCodes.MixedRequestShapes,
                    $"The body mixes the seed API's fields ({string.Join(", ", RequestShapes.SeedFieldsOf(request))}) with the NovitaAI service's "
                    + $"({string.Join(", ", RequestShapes.NovitaFieldsOf(request))}): send one shape.");
            }
        });
        When(r => RequestShapes.IsNovita(r) && !RequestShapes.IsMixed(r), () => RuleFor(r => r).Custom((request, context) => ValidateNovita(request, context, catalog)));
        When(r => !RequestShapes.IsNovita(r), () =>
        {
            RuleFor(r => r.AutoTerminateMinutes)
                .Null().WithErrorCode(ProblemCodes.InvalidValue)
                .WithMessage("autoTerminateMinutes at the top level belongs to the NovitaAI shape; in this shape it is config.autoTerminateMinutes.")
                .OverridePropertyName("autoTerminateMinutes");

            RuleFor(r => r.UserId)
                .NotEmpty().WithErrorCode(ProblemCodes.Required).WithMessage("userId is required.")
                .MaximumLength(MaxIdLength).WithErrorCode(ProblemCodes.TooLong).WithMessage($"userId is longer than {MaxIdLength} characters.")
                .Matches(IdRegex()).WithErrorCode(ProblemCodes.InvalidCharacters).WithMessage("userId may hold only letters, digits and . _ @ : + -")
                .OverridePropertyName("userId");

            RuleFor(r => r.TaskId)
                .MaximumLength(MaxIdLength).WithErrorCode(ProblemCodes.TooLong).WithMessage($"taskId is longer than {MaxIdLength} characters.")
                .Matches(IdRegex()).WithErrorCode(ProblemCodes.InvalidCharacters).WithMessage("taskId may hold only letters, digits and . _ @ : + -")
                .When(r => r.TaskId is not null)
                .OverridePropertyName("taskId");

            RuleFor(r => r.Purpose)
                .MaximumLength(MaxPurposeLength).WithErrorCode(ProblemCodes.TooLong).WithMessage($"purpose is longer than {MaxPurposeLength} characters.")
                .Must(p => !p!.Any(char.IsControl)).WithErrorCode(ProblemCodes.InvalidCharacters).WithMessage("purpose may not contain control characters.")
                .When(r => r.Purpose is not null)
                .OverridePropertyName("purpose");

            RuleFor(r => r.Config).NotNull().WithErrorCode(ProblemCodes.Required).WithMessage("config is required.").OverridePropertyName("config");
            When(r => r.Config is not null, () => RuleFor(r => r.Config!).Custom((config, context) => ValidateConfig(config, context, catalog, capabilities)));
        });
    }

    private static void ValidateConfig(
        InstanceConfigRequest config, ValidationContext<CreateInstanceRequest> context, InstanceTypeCatalog catalog, ICloudCapabilities capabilities)
    {
        // Either an exact machine or what it needs: the placer's offers are checked like the named machine would be.
        CloudProviderName? provider = null;
        ProviderCapabilities? offers = null;
        if (config.Requirements is { } requirements)
        {
            ValidateRequirements(config, requirements, context, catalog, capabilities);
        }
        else
        {
            (provider, offers) = ValidateExactMachine(config, context, catalog, capabilities);
        }

        if (config.DiskSizeGB is < MinDiskSizeGB)
        {
            Fail(context, "config.diskSizeGB", ProblemCodes.DiskSizeTooSmall, $"Disk size must be at least {MinDiskSizeGB} GB.");
        }
        else if (config.DiskSizeGB is > MaxDiskSizeGB)
        {
            Fail(context, "config.diskSizeGB", ProblemCodes.DiskSizeTooLarge, $"Disk size must be at most {MaxDiskSizeGB} GB.");
        }

        if (config.AutoTerminateMinutes is < MinAutoTerminateMinutes or > MaxAutoTerminateMinutes)
        {
            Fail(context, "config.autoTerminateMinutes", ProblemCodes.AutoTerminateOutOfRange,
                $"Auto-terminate must be between {MinAutoTerminateMinutes} and {MaxAutoTerminateMinutes} minutes.");
        }

        if (config.IdleTerminateMinutes is < MinIdleTerminateMinutes or > MaxIdleTerminateMinutes)
        {
            Fail(context, "config.idleTerminateMinutes", ProblemCodes.IdleTerminateOutOfRange,
                $"Idle-terminate must be between {MinIdleTerminateMinutes} and {MaxIdleTerminateMinutes} minutes.");
        }

        if (config.SpotMaxPrice is < MinSpotMaxPrice or > MaxSpotMaxPrice)
        {
            Fail(context, "config.spotMaxPrice", ProblemCodes.SpotMaxPriceOutOfRange,
                $"The spot price ceiling must be between {MinSpotMaxPrice} and {MaxSpotMaxPrice} USD per hour.");
        }

        if (config.UserData is { } userData)
        {
            if (userData.Length > MaxUserDataLength)
            {
                Fail(context, "config.userData", ProblemCodes.TooLong, $"userData is longer than {MaxUserDataLength} characters.");
            }
            else if (userData.Contains('\0', StringComparison.Ordinal))
            {
                Fail(context, "config.userData", ProblemCodes.InvalidCharacters, "userData may not contain NUL characters.");
            }
        }

        ValidateTags(config.Tags, provider is { } cloud ? capabilities.For(cloud).RequestRules : CloudRequestRules.None, capabilities.ReservedTagPrefixes, context);
        if (provider is { } asked && offers is not null)
        {
            ValidateCapabilities(config, ProviderName(asked), offers, context);
        }
    }

    private static (CloudProviderName? Provider, ProviderCapabilities? Offers) ValidateExactMachine(
        InstanceConfigRequest config, ValidationContext<CreateInstanceRequest> context, InstanceTypeCatalog catalog, ICloudCapabilities capabilities)
    {
        var provider = ValidateProvider(config.Provider, context, catalog);
        var offers = provider is { } named ? capabilities.For(named) : null;
        if (string.IsNullOrEmpty(config.InstanceType))
        {
            Fail(context, "config.instanceType", ProblemCodes.Required, "config.instanceType is required.");
        }
        else if (provider is { } p && !catalog.TryFind(p, config.InstanceType, out _))
        {
            Fail(context, "config.instanceType", ProblemCodes.InstanceTypeNotOffered,
                $"{ProviderName(p)} does not offer instance type '{Shorten(config.InstanceType)}'. Offered: {string.Join(", ", catalog.TypesOf(p))}.");
        }
        else if (provider is { } p2 && offers is not null && !offers.ServesInstanceType(config.InstanceType))
        {
            NotOffered(context, "config.instanceType", $"{ProviderName(p2)} is not set up to serve instance type '{Shorten(config.InstanceType)}' here.");
        }

        if (string.IsNullOrEmpty(config.Region))
        {
            Fail(context, "config.region", ProblemCodes.Required, "config.region is required.");
        }
        else if (provider is { } p && !catalog.IsKnownRegion(p, config.Region))
        {
            Fail(context, "config.region", ProblemCodes.RegionNotOffered,
                $"{ProviderName(p)} has no region '{Shorten(config.Region)}'. Known: {string.Join(", ", catalog.RegionsOf(p))}.");
        }
        else if (provider is { } p2 && offers is not null && !offers.ServesRegion(config.Region))
        {
            NotOffered(context, "config.region",
                $"{ProviderName(p2)} is not set up to serve region '{Shorten(config.Region)}'. Served: {string.Join(", ", offers.Regions!.Order())}.");
        }

        return (provider, offers);
    }

    private static void ValidateCapabilities(
        InstanceConfigRequest config, string provider, ProviderCapabilities offers, ValidationContext<CreateInstanceRequest> context)
    {
        if (config.SpotMaxPrice is not null && !offers.Spot)
        {
            NotOffered(context, "config.spotMaxPrice", $"{provider} does not offer spot machines.");
        }

        if (config.UserData is not null && !offers.UserData)
        {
            NotOffered(context, "config.userData", $"{provider} does not run boot scripts (userData).");
        }

        if (config.Tags is { Count: > 0 } && !offers.ResourceTags)
        {
            NotOffered(context, "config.tags", $"{provider} cannot put tags on its machines.");
        }
    }

    private static void NotOffered(ValidationContext<CreateInstanceRequest> context, string field, string message) =>
        Fail(context, field, ProblemCodes.CapabilityNotOffered, message);

    private static CloudProviderName? ValidateProvider(string? provider, ValidationContext<CreateInstanceRequest> context, InstanceTypeCatalog catalog)
    {
        if (string.IsNullOrEmpty(provider))
        {
            Fail(context, "config.provider", ProblemCodes.Required, "config.provider is required.");
            return null;
        }

        var known = catalog.Providers.Where(p => ProviderName(p) == provider).Select(p => (CloudProviderName?)p).FirstOrDefault();
        if (known is null)
        {
            Fail(context, "config.provider", ProblemCodes.UnknownProvider,
                $"Unknown provider '{Shorten(provider)}'. Supported: {string.Join(", ", catalog.Providers.Select(ProviderName).Order())}.");
            return null;
        }

        return known;
    }

    /// <param name="rules">The named cloud's own rules (characters it refuses in tag names).</param>
    /// <param name="reserved">Every cloud's reserved prefixes: refused whichever cloud is named.</param>
    private static void ValidateTags(
        Dictionary<string, string>? tags, CloudRequestRules rules, IReadOnlyList<string> reserved, ValidationContext<CreateInstanceRequest> context)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            Fail(context, "config.tags", ProblemCodes.TooManyTags, $"At most {MaxTags} tags are allowed; {tags.Count} were sent.");
            return;
        }

        foreach (var (key, value) in tags)
        {
            var field = $"config.tags.{Shorten(key)}";
            if (key.Length is 0 or > MaxTagKeyLength || !TagRegex().IsMatch(key))
            {
                Fail(context, field, ProblemCodes.TagKeyInvalid,
                    $"Tag keys must be 1-{MaxTagKeyLength} characters of letters, digits, spaces and _ . : / = + @ -");
            }
            else if (key.IndexOfAny(rules.TagKeyForbiddenCharacters.ToCharArray()) >= 0)
            {
                // Tags go onto the machine as the cloud's own tags; the cloud refuses these characters in tag names.
                Fail(context, field, ProblemCodes.TagKeyInvalid,
                    $"{rules.CloudName} tag names may not contain {string.Join(" or ", rules.TagKeyForbiddenCharacters.Select(c => $"'{c}'"))}.");
            }
            else if (key.StartsWith(OwnershipTags.Prefix, StringComparison.OrdinalIgnoreCase)
                || reserved.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                var prefixes = new[] { OwnershipTags.Prefix }.Concat(reserved).Select(p => $"'{p}'").ToList();
                Fail(context, field, ProblemCodes.TagKeyReserved,
                    $"Tag keys may not start with {string.Join(", ", prefixes[..^1])} or {prefixes[^1]}: those are reserved.");
            }

            if (value is null || value.Length > MaxTagValueLength || !TagRegex().IsMatch(value))
            {
                Fail(context, field, ProblemCodes.TagValueInvalid,
                    $"Tag values must be at most {MaxTagValueLength} characters of letters, digits, spaces and _ . : / = + @ -");
            }
        }
    }

    /// <summary>The name the API uses for a provider (AWS, AZURE, ...).</summary>
    internal static string ProviderName(CloudProviderName provider) => provider.ToString().ToUpperInvariant();

    private static void Fail(ValidationContext<CreateInstanceRequest> context, string field, string code, string message) =>
        context.AddFailure(new ValidationFailure(field, message) { ErrorCode = code });

    // Echo at most a little of what the client sent, so a huge value does not become a huge error.
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex(IdPattern)]
    private static partial Regex IdRegex();

    [GeneratedRegex(TagPattern)]
    private static partial Regex TagRegex();
}
