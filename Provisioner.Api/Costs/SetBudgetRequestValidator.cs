using FluentValidation;
using Provisioner.Api.Problems;

namespace Provisioner.Api.Costs;

public sealed class SetBudgetRequestValidator : AbstractValidator<SetBudgetRequest>
{
    public const decimal MaxAmount = 10_000_000m;

    public SetBudgetRequestValidator()
    {
        RuleFor(r => r).Must(r => r.MonthlyLimit is not null || r.PerInstanceCap is not null)
            .WithErrorCode(ProblemCodes.Required).WithMessage("Set monthlyLimit, perInstanceCap or both.").OverridePropertyName("monthlyLimit");
        RuleFor(r => r.MonthlyLimit).Must(v => v is > 0 and <= MaxAmount && decimal.Round(v.Value, 6) == v)
            .WithErrorCode(ProblemCodes.OutOfRange).WithMessage($"monthlyLimit must be more than 0 and at most {MaxAmount:0} USD, with at most 6 decimals.")
            .When(r => r.MonthlyLimit is not null).OverridePropertyName("monthlyLimit");
        RuleFor(r => r.PerInstanceCap).Must(v => v is > 0 and <= MaxAmount && decimal.Round(v.Value, 6) == v)
            .WithErrorCode(ProblemCodes.OutOfRange).WithMessage($"perInstanceCap must be more than 0 and at most {MaxAmount:0} USD, with at most 6 decimals.")
            .When(r => r.PerInstanceCap is not null).OverridePropertyName("perInstanceCap");
    }
}
