using System.Text.RegularExpressions;
using Provisioner.Api.Ops.Actions;
using Provisioner.Core.Operations;

namespace Provisioner.Api.Ops;

/// <summary>
/// Puts the jobs dashboard's own buttons on the audit list: a requeue (or enqueue, trigger) and a delete (or remove),
/// of one job or of the jobs ticked on a list, once the dashboard has done it (answered below 400), with the key that
/// signed in and the job ids.
/// </summary>
internal static partial class JobsDashboardAudit
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method)
            || !request.Path.StartsWithSegments(JobsDashboard.Path, out var rest)
            || ActionRegex().Match(rest.Value ?? string.Empty) is not { Success: true } match)
        {
            await next();
            return;
        }

        // Read before the dashboard reads it: the form is buffered, so both see the same ids.
        var ids = match.Groups["id"].Success
            ? [match.Groups["id"].Value]
            : request.HasFormContentType ? (await request.ReadFormAsync(context.RequestAborted))["jobs[]"].Where(v => v is not null).Select(v => v!).ToArray() : [];
        await next();
        if (context.Response.StatusCode >= 400 || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var verb = match.Groups["verb"].Value;
        var action = verb is "delete" or "remove" ? OpsActions.DeleteJobs : OpsActions.RequeueJobs;
        var outcome = $"{verb} from the jobs dashboard ({rest.Value}): {(ids.Length == 0 ? "no job ticked" : string.Join(", ", ids))}";
        await context.RequestServices.GetRequiredService<AuditTrail>()
            .RecordAsync(context.User, action, ids.Length == 1 ? $"job {ids[0]}" : $"{ids.Length} jobs", null, outcome, context.RequestAborted);
    }

    // /jobs/actions/requeue/{id}, /jobs/actions/delete/{id}, and the list pages' /jobs/{state}/{verb}, /recurring/{verb}.
    [GeneratedRegex("^/(?:jobs/actions/(?<verb>requeue|delete)/(?<id>[^/]+)|(?:jobs/[a-z]+|recurring)/(?<verb>requeue|delete|enqueue|remove|trigger))$")]
    private static partial Regex ActionRegex();
}
