namespace Provisioner.Api.OpenApi;

/// <summary>What a status means to a caller, for the response descriptions of the document.</summary>
internal static class ProblemCodeTitles
{
    public static string Of(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "No valid API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.",
        403 => "This key may not use this operation (a tenant key on an admin operation, or the reverse).",
        404 => "Not found (or another tenant's).",
        409 => "The request conflicts with the resource's state.",
        413 => "The body is larger than the API accepts.",
        415 => "The body is not application/json.",
        422 => "The request cannot be processed as sent.",
        429 => "Too many requests: wait for Retry-After seconds.",
        _ => "A problem.",
    };
}
