using FluentValidation;
using Provisioner.Api.Problems;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Webhooks;

/// <summary>The URL's presence and the event names; whether the URL may be called is the target policy's question, asked after.</summary>
public sealed class SetWebhookRequestValidator : AbstractValidator<SetWebhookRequest>
{
    public SetWebhookRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().WithErrorCode(ProblemCodes.Required).WithMessage("url is required.").OverridePropertyName("url");
        RuleFor(r => r.Events)
            .Must(events => events!.Length is > 0 and <= WebhookLimits.MaxEvents).WithErrorCode(ProblemCodes.OutOfRange)
                .WithMessage($"events must list 1-{WebhookLimits.MaxEvents} events.")
            .Must(events => events!.All(WebhookEventTypes.Known.Contains)).WithErrorCode(ProblemCodes.InvalidValue)
                .WithMessage($"events may hold only: {string.Join(", ", WebhookEventTypes.Known)}.")
            .When(r => r.Events is not null)
            .OverridePropertyName("events");
    }
}
