namespace Provisioner.Tests.Integration.Security;

/// <summary>One hostile or careless request and the answer it must get.</summary>
/// <param name="Key">The key to send as a bearer token; null for none.</param>
/// <param name="Headers">Extra headers, sent as given (even malformed).</param>
/// <param name="Writes">A valid request that creates an instance: counted in the expected database change.</param>
public sealed record AbuseCase(
    string Name,
    HttpMethod Method,
    string Path,
    string? Key,
    int Status,
    string? Code,
    string? Field = null,
    string? Body = null,
    string ContentType = "application/json",
    IReadOnlyDictionary<string, string>? Headers = null,
    bool Writes = false)
{
    public override string ToString() => Name;
}
