namespace Provisioner.Api.Problems;

/// <summary>
/// The stable <c>code</c> of every problem response. Clients branch on these, never on titles or messages,
/// so a code once published is never renamed.
/// </summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string InvalidQuery = "invalid_query";
    public const string InstanceNotFound = "instance_not_found";
    public const string InstanceNotRunning = "instance_not_running";
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    /// <summary>Offers fit a request's GPUs, but none within its <c>maxPricePerHour</c>.</summary>
    public const string NoOfferWithinPrice = "no_offer_within_price";

    /// <summary>No offer of any allowed provider and region fits a request's stated needs, whatever the price.</summary>
    public const string NoOfferFits = "no_offer_fits";
    public const string InvalidHeader = "invalid_header";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Internal = "internal_error";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string PayloadTooLarge = "payload_too_large";
    public const string KeyNotFound = "key_not_found";
    public const string PoolNotFound = "pool_not_found";

    /// <summary>Another pool not deleted has the name (409).</summary>
    public const string PoolNameTaken = "pool_name_taken";

    /// <summary>A path and query longer than the API reads (414).</summary>
    public const string UriTooLong = "uri_too_long";

    /// <summary>PostgreSQL cannot be reached for now (503, with Retry-After): retry; nothing was changed.</summary>
    public const string DatabaseUnavailable = "database_unavailable";

    /// <summary>A webhook target that is not https (or http where allowed), or resolves to a private or internal address.</summary>
    public const string WebhookUrlNotAllowed = "webhook_url_not_allowed";
    public const string WebhookNotSet = "webhook_not_set";

    /// <summary>A create whose worst case the tenant's budget (per instance, or what is left of the month) does not allow.</summary>
    public const string BudgetExceeded = "budget_exceeded";
    public const string BudgetNotSet = "budget_not_set";
    public const string DeliveryNotFound = "delivery_not_found";
    public const string DeliveryInProgress = "delivery_in_progress";

    // Field-level codes, inside "errors".
    public const string Required = "required";
    public const string TooLong = "too_long";
    public const string InvalidCharacters = "invalid_characters";
    public const string UnknownProvider = "unknown_provider";
    public const string InstanceTypeNotOffered = "instance_type_not_offered";
    public const string RegionNotOffered = "region_not_offered";

    /// <summary>The request asks the provider for something it cannot do (spot, a boot script, tags, a region it is not set up for).</summary>
    public const string CapabilityNotOffered = "capability_not_offered";
    public const string DiskSizeTooSmall = "disk_size_too_small";
    public const string DiskSizeTooLarge = "disk_size_too_large";
    public const string AutoTerminateOutOfRange = "auto_terminate_out_of_range";
    public const string IdleTerminateOutOfRange = "idle_terminate_out_of_range";
    public const string SpotMaxPriceOutOfRange = "spot_max_price_out_of_range";
    public const string TooManyTags = "too_many_tags";
    public const string TagKeyInvalid = "tag_key_invalid";
    public const string TagKeyReserved = "tag_key_reserved";
    public const string TagValueInvalid = "tag_value_invalid";
    public const string OutOfRange = "out_of_range";

    /// <summary>A period whose end is not after its start.</summary>
    public const string InvalidRange = "invalid_range";

    /// <summary>A period longer than a report covers (a year).</summary>
    public const string RangeTooLong = "range_too_long";
    public const string InvalidValue = "invalid_value";

    /// <summary>A create body carrying fields of both request shapes (the original design's and the NovitaAI service's).</summary>
    public const string MixedRequestShapes = "mixed_request_shapes";

    /// <summary>A config naming an exact machine (provider, instanceType, region or spotMaxPrice) and stating requirements too.</summary>
    public const string ExactAndRequirements = "exact_and_requirements";

    /// <summary>The NovitaAI shape's <c>productName</c> names no NOVITA product of the catalog.</summary>
    public const string ProductNotFound = "product_not_found";

    public const string InvalidTemplateId = "invalid_template_id";
    public const string GpuNumOutOfRange = "gpu_num_out_of_range";
    public const string RootfsSizeOutOfRange = "rootfs_size_out_of_range";
}
