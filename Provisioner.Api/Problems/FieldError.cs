namespace Provisioner.Api.Problems;

/// <summary>One failing field: its JSON path in the request, a stable code and a sentence for people.</summary>
public sealed record FieldError(string Field, string Code, string Message);
