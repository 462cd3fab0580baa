namespace Provisioner.Core.Providers;

/// <summary>Why a cloud gave up on a machine, classified like an error, in the cloud's own words.</summary>
public sealed record CloudMachineFailure(CloudErrorKind Kind, string Provider, string CloudCode, string CloudMessage)
{
    /// <summary>The sentence recorded as an instance's failure reason: the same shape as a refused call's.</summary>
    public string ToFailureReason() => $"{Kind}: {Provider} returned {CloudCode}: {CloudMessage}";
}
