using Hangfire;
using Hangfire.Dashboard;
using Provisioner.Core.Jobs;

namespace Provisioner.Api.Ops;

/// <summary>
/// On a job's details page in the jobs dashboard, a link to the console's page of the instance the job concerns
/// (instance work and webhook deliveries for an instance), so an operator goes from a failed job to its instance's
/// timeline in one click.
/// </summary>
internal static class JobInstanceLink
{
    // Hangfire keeps details renderers in one process-wide list; every host built in a process (tests build many)
    // configures Hangfire again, and each would add the link once more.
    private static int registered;

    public static IGlobalConfiguration UseJobInstanceLink(this IGlobalConfiguration configuration)
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            configuration.UseJobDetailsRenderer(0, Render);
        }

        return configuration;
    }

    /// <summary>The instance a job's arguments name, if any.</summary>
    public static Guid? InstanceOf(Hangfire.Common.Job? job) => job?.Args.Select(a => a switch
    {
        InstanceJob instanceJob => instanceJob.InstanceId,
        WebhookJob webhookJob => webhookJob.InstanceId,
        _ => null,
    }).FirstOrDefault(id => id is not null);

    private static NonEscapedString Render(JobDetailsRendererDto details) => InstanceOf(details.JobDetails.Job) is { } id
        ? new NonEscapedString(
            $"""<div class="alert alert-info" id="job-instance">Instance <a id="job-instance-link" href="{OpsAuthentication.BasePath}/instances/{id}">{id}</a> in the console</div>""")
        : new NonEscapedString(string.Empty);
}
