using System.ComponentModel.DataAnnotations;

namespace Provisioner.Api.Instances.Waiting;

/// <summary>How long a conditional read of an instance may be held for a change (<c>Prefer: wait</c>).</summary>
public sealed class InstanceWaitOptions
{
    public const string Section = "InstanceWait";

    /// <summary>
    /// The longest a read is held, whatever the client prefers. Default 30 s: under the idle timeouts of the usual
    /// proxies (nginx's 60 s), so a held read is never cut by one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A held read looks at the row again this often even without a notice. Notices are not lost while the API's
    /// LISTEN connection lives (and every held read is woken when it is rebuilt), so this is a backstop only. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan FallbackPoll { get; set; } = TimeSpan.FromSeconds(5);
}
