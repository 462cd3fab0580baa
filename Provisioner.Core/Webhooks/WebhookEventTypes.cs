using Provisioner.Core.Instances;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// The events an instance's transitions raise: <c>instance.</c> plus the state entered, lower case. A subscription
/// without a list gets the three a client acts on; <c>*</c> asks for every transition.
/// </summary>
public static class WebhookEventTypes
{
    public const string All = "*";
    public const string Ready = "instance.ready";
    public const string Terminated = "instance.terminated";
    public const string Failed = "instance.failed";

    /// <summary>Every offer was refused for capacity and the instance waits (still Provisioning) for it to return.</summary>
    public const string Waiting = "instance.waiting";

    /// <summary>
    /// The machine stopped running after it was ready, not by our hand (stopped outside, reclaimed, terminated outside):
    /// the instance is Failed with reason class <c>Interrupted</c>. Raised instead of <see cref="Failed"/> for that move, and
    /// sent to subscriptions listing either (an interruption is a failure).
    /// </summary>
    public const string Interrupted = "instance.interrupted";

    public static readonly IReadOnlyList<string> Default = [Ready, Terminated, Failed];

    /// <summary>Every name a subscription may list.</summary>
    public static readonly IReadOnlyList<string> Known =
        [All, .. Enum.GetValues<InstanceStatus>().Select(For), Waiting, Interrupted];

    public static string For(InstanceStatus status) => "instance." + status.ToString().ToLowerInvariant();

    /// <summary>The event a recorded transition raises: a Provisioning → Provisioning one is a wait for capacity.</summary>
    public static string For(InstanceEvent raised) =>
        raised is { FromStatus: InstanceStatus.Provisioning, ToStatus: InstanceStatus.Provisioning } ? Waiting
        : Instance.IsInterruption(raised) ? Interrupted
        : For(raised.ToStatus);

    /// <summary>Whether a subscription to <paramref name="subscribed"/> (null: the default three) receives <paramref name="type"/>.</summary>
    public static bool Includes(IReadOnlyCollection<string>? subscribed, string type) =>
        (subscribed ?? Default).Any(s => s == All || s == type || (type == Interrupted && s == Failed));
}
