using FluentValidation;

namespace Provisioner.Api.Problems;

/// <summary>Validates the endpoint's <typeparamref name="TRequest"/> argument before the handler runs; a failure writes nothing.</summary>
internal sealed class ValidationFilter<TRequest>(IValidator<TRequest> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return ApiProblems.Validation([new FieldError("body", ProblemCodes.Required, "A JSON body is required.")]);
        }

        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        if (result.IsValid)
        {
            return await next(context);
        }

        // Validators name each rule by its JSON path (OverridePropertyName), so the field is reported as sent.
        return ApiProblems.Validation([.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorCode, e.ErrorMessage))]);
    }
}
