using System.Data;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Hangfire.PostgreSql's queues with the wake-up path of <see cref="JobWakeUp"/>: an enqueue also notifies
/// <see cref="JobWakeUp.Channel"/> (delivered when the enqueuing transaction commits, so a woken thread finds the
/// job), and a dequeue that finds nothing waits for that wake-up or for the storage's poll interval, whichever
/// comes first.
/// </summary>
internal sealed class WakingJobQueueProvider(IPersistentJobQueueProvider inner, JobWakeUp wakeUp) : IPersistentJobQueueProvider
{
    public IPersistentJobQueue GetJobQueue() => new WakingJobQueue(inner.GetJobQueue(), wakeUp);

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => inner.GetJobQueueMonitoringApi();

    private sealed class WakingJobQueue(IPersistentJobQueue inner, JobWakeUp wakeUp) : IPersistentJobQueue
    {
        public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
        {
            while (true)
            {
                // The inner dequeue waits on its token's handle between looks; a wake-up cancels it, and the next
                // turn of this loop looks again at once.
                using var waiter = wakeUp.Wait(queues);
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waiter.Token);
                try
                {
                    var job = inner.Dequeue(queues, woken.Token);
                    waiter.LeaveWithJob();
                    return job;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
        }

        public void Enqueue(IDbConnection connection, string queue, string jobId)
        {
            inner.Enqueue(connection, queue, jobId);
            using var notify = connection.CreateCommand();
            notify.CommandText = "SELECT pg_notify(@channel, @queue)";
            AddParameter(notify, "channel", JobWakeUp.Channel);
            AddParameter(notify, "queue", queue);
            notify.ExecuteNonQuery();
        }

        private static void AddParameter(IDbCommand command, string name, string value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
