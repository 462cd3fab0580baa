using System.ComponentModel;
using System.Globalization;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The job that carries out an instance's work, as the job engine stores and shows it. Declared here rather than
/// beside its implementation in the worker so that every process (the API's jobs dashboard among them) can load
/// the type and name a job. It takes the ticket of the <see cref="PendingWork"/> it was made for; a job whose
/// ticket is no longer pending does nothing.
/// </summary>
public interface IInstanceJobs
{
    /// <summary>One method for every kind: the dashboard names the job by its kind's title (<see cref="InstanceJob.ToString"/>).</summary>
    [DisplayName("{0}")]
    Task Run(InstanceJob job, CancellationToken cancellationToken);
}

/// <summary>One delivery of instance work: what <see cref="IInstanceJobs.Run"/> is called with, stored with the job.</summary>
public sealed record InstanceJob(InstanceWorkKind Kind, Guid InstanceId, Guid Ticket)
{
    /// <summary>The job's name on the dashboard, as the kind's registration words it ("Launch instance …").</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, InstanceWorkKinds.Of(Kind).Title, InstanceId);
}
