namespace Provisioner.Client;

/// <summary>
/// The API operation a client method calls (its HTTP method and path template as the OpenAPI document spells them), so
/// a test can prove the client covers every operation of the document.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiOperationAttribute(string method, string path) : Attribute
{
    public string Method { get; } = method;

    public string Path { get; } = path;
}
