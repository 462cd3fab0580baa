namespace Provisioner.Core.Instances;

/// <summary>
/// The PostgreSQL channel every change to an instance row is announced on, its id as the payload. A trigger sends it
/// (migration <c>InstanceChangeNotify</c>), so no writer, EF Core or SQL, can change an instance unannounced, and the
/// notice leaves with the commit: a listener never hears of a change it cannot yet read.
/// </summary>
public static class InstanceChanges
{
    public const string Channel = "provisioner_instance_changed";
}
