namespace Provisioner.Tests.Fakes.Ec2;

/// <summary>An EC2 error as the API returns it: a code, a message and an HTTP status.</summary>
public sealed class Ec2ErrorException(string code, string message, int status = 400) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;

    public static Ec2ErrorException Throttled() => new("RequestLimitExceeded", "Request limit exceeded.", 503);
}
