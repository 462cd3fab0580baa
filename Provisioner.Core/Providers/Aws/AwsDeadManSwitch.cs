using System.Globalization;
using System.Text;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// User data that makes a machine power itself off at its hard deadline plus a margin, so it stops costing money
/// even if this whole system is down. With <c>InstanceInitiatedShutdownBehavior=terminate</c>, EC2 then deletes it.
/// </summary>
public static class AwsDeadManSwitch
{
    /// <summary>A cloud-init multipart document: our boot hook, then the user's own user data, if any.</summary>
    public static string UserData(DateTimeOffset powerOffAt, string? userScript = null)
    {
        var epoch = powerOffAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        // Computed on the machine from its own clock, so a late boot still powers off on time.
        var hook = $$"""
            #!/bin/sh
            # provisioner dead-man switch: power off at {{powerOffAt.UtcDateTime:O}} whatever happens to the control plane
            delay=$(( ({{epoch}} - $(date +%s)) / 60 ))
            [ "$delay" -lt 1 ] && delay=1
            shutdown -P "+$delay" "provisioner deadline" || (sleep "$(( delay * 60 ))" && poweroff) &
            """;
        var parts = new StringBuilder()
            .Append("Content-Type: multipart/mixed; boundary=\"PROVISIONER\"\nMIME-Version: 1.0\n\n")
            .Append("--PROVISIONER\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n").Append(hook).Append('\n');
        if (!string.IsNullOrEmpty(userScript))
        {
            parts.Append("--PROVISIONER\nContent-Type: text/x-shellscript; charset=\"us-ascii\"\n\n").Append(userScript).Append('\n');
        }

        parts.Append("--PROVISIONER--\n");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(parts.ToString()));
    }
}
