using Microsoft.Extensions.Options;

namespace Provisioner.Worker.Resilience;

/// <summary>Refuses to start with a budget that could never let a call through, naming the setting.</summary>
internal sealed class CloudApiBudgetOptionsValidator : IValidateOptions<CloudApiBudgetOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudApiBudgetOptions options) =>
        options.FirstInvalid() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
