namespace Provisioner.Tests.Fakes.Novita;

/// <summary>
/// A Novita error as the local Novita answers it: <c>{"code","reason","message"}</c> (the real body's shape is not
/// documented; Novita's reference names the reasons and says most come back as 400), and a Retry-After when throttled.
/// </summary>
public sealed class NovitaErrorException(string reason, string message, int status = 400, int? retryAfterSeconds = null) : Exception(message)
{
    public string Reason { get; } = reason;
    public int Status { get; } = status;
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    public static NovitaErrorException Invalid(string message) => new("VALIDATOR_PARAM", message);

    public static NovitaErrorException NotFound(string what) => new("RESOURCE_NOT_FOUND", $"{what} not found");

    public static NovitaErrorException Throttled(int retryAfterSeconds = 1) => new("RATE_LIMIT_EXCEEDED", "rate limit exceeded", 429, retryAfterSeconds);

    public static NovitaErrorException NoStock(string product, string cluster) =>
        new("INSUFFICIENT_RESOURCE", $"insufficient resource: no {product} available in cluster {cluster}");
}
