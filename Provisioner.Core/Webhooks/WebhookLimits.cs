namespace Provisioner.Core.Webhooks;

/// <summary>Sizes the API accepts and the database stores for webhook targets.</summary>
public static class WebhookLimits
{
    public const int MaxUrlLength = 2048;

    /// <summary>Event names a subscription may list (there are seven, plus <c>*</c>).</summary>
    public const int MaxEvents = 10;
}
