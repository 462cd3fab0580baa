namespace Provisioner.Api.Instances;

/// <summary>The limits a request is held to: the original design's, and the clouds' own where they are stricter.</summary>
public static class InstanceLimits
{
    public const int MinDiskSizeGB = 30;

    /// <summary>The largest root volume EC2 (gp3) and Azure (P80) accept: 16 TiB.</summary>
    public const int MaxDiskSizeGB = 16_384;

    public const int DefaultDiskSizeGB = 100;
    public const int MinAutoTerminateMinutes = 5;
    public const int MaxAutoTerminateMinutes = 120;
    public const int DefaultAutoTerminateMinutes = 60;
    public const int MinIdleTerminateMinutes = 5;
    public const int MaxIdleTerminateMinutes = 120;
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>EC2 refuses a spot price below USD 0.001.</summary>
    public const decimal MinSpotMaxPrice = 0.001m;

    public const decimal MaxSpotMaxPrice = 1000m;

    /// <summary>EC2 takes 16 KiB of user data; the rest is for the deadline guard that wraps it.</summary>
    public const int MaxUserDataLength = 12_288;

    /// <summary>Idempotency keys: printable ASCII without spaces (UUIDs, ULIDs, hashes all fit).</summary>
    public const string IdempotencyKeyPattern = "^[\\x21-\\x7E]+$";

    /// <summary>EC2 allows 50 tags per resource; we keep room for our own ownership tags.</summary>
    public const int MaxTags = 40;

    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 256;
    public const int MaxIdLength = 128;
    public const int MaxPurposeLength = 500;

    /// <summary>Characters every supported cloud accepts in tag keys and values.</summary>
    public const string TagPattern = @"^[\p{L}\p{N} _.:/=+@-]*$";

    /// <summary>User and task ids: letters, digits and a few separators, no spaces or control characters.</summary>
    public const string IdPattern = @"^[\p{L}\p{N}._@:+-]+$";
}
