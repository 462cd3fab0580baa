using System.Collections.Concurrent;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Wakes this process's idle job threads when work is enqueued on their queue, by any process: the enqueue notifies
/// <see cref="Channel"/> on commit (<see cref="WakingJobQueueProvider"/>), one listener per process
/// (<see cref="JobWakeUpListener"/>) calls <see cref="Wake"/>, and one thread waiting on that queue looks at once.
/// Idle threads otherwise look only every <see cref="JobsOptions.QueuePollInterval"/>, the fallback for a lost
/// notification, so an idle worker costs next to nothing. One LISTEN connection per process, not one per thread as
/// Hangfire.PostgreSql's own long polling holds.
/// </summary>
/// <remarks>
/// One thread per notification, not all of them: each enqueue notifies once, so a burst of jobs wakes as many
/// threads as it has jobs, while a single job does not send every idle thread of every worker to the store.
/// </remarks>
internal sealed class JobWakeUp
{
    /// <summary>
    /// The notification channel; the payload is the queue's name, optionally followed by
    /// <see cref="PayloadSeparator"/> and anything that keeps it apart from the transaction's other notifications.
    /// </summary>
    public const string Channel = "provisioner_jobs";

    /// <summary>Ends the queue's name in a payload that carries more (<see cref="JobTakeover"/>'s row ids).</summary>
    public const char PayloadSeparator = ' ';

    /// <summary>The queue a notification's payload names.</summary>
    public static string QueueOf(string payload) =>
        payload.IndexOf(PayloadSeparator, StringComparison.Ordinal) is var end and >= 0 ? payload[..end] : payload;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Waiter>> _lines = new(StringComparer.Ordinal);
    private TaskCompletionSource _nextNotification = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes at the next notification of any queue (or the listener's reconnection): work was enqueued somewhere,
    /// so a job may be fetched soon. Read it before looking at the store, so a notification after the look is not
    /// missed. <see cref="JobTakeover"/> sleeps on it while no job is fetched anywhere.
    /// </summary>
    public Task NextNotification => Volatile.Read(ref _nextNotification).Task;

    private void Notified() =>
        Interlocked.Exchange(ref _nextNotification, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Puts a thread in line for <paramref name="queues"/>. Taken before the thread looks at its queues, so work
    /// committed after the look, whose notification arrives after it, still wakes it.
    /// </summary>
    public Waiter Wait(IReadOnlyList<string> queues)
    {
        var waiter = new Waiter(this, queues);
        foreach (var queue in queues)
        {
            LineOf(queue).Enqueue(waiter);
        }

        return waiter;
    }

    /// <summary>Wakes one thread waiting on <paramref name="queue"/>, if any waits.</summary>
    public void Wake(string queue)
    {
        Notified();
        var line = LineOf(queue);
        while (line.TryDequeue(out var waiter))
        {
            if (waiter.TryWake())
            {
                return;
            }
        }
    }

    /// <summary>Wakes every waiting thread: after (re)connecting the listener, when notifications may have been missed.</summary>
    public void WakeAll()
    {
        Notified();
        foreach (var line in _lines.Values)
        {
            while (line.TryDequeue(out var waiter))
            {
                waiter.TryWake();
            }
        }
    }

    private ConcurrentQueue<Waiter> LineOf(string queue) => _lines.GetOrAdd(queue, _ => new ConcurrentQueue<Waiter>());

    /// <summary>One thread's place in line: <see cref="Token"/> is cancelled when it is woken.</summary>
    internal sealed class Waiter(JobWakeUp wakeUp, IReadOnlyList<string> queues) : IDisposable
    {
        private const int Waiting = 0, Woken = 1, Left = 2;
        private readonly CancellationTokenSource _woken = new();
        private int _state = Waiting;

        public CancellationToken Token => _woken.Token;

        public bool TryWake()
        {
            if (Interlocked.CompareExchange(ref _state, Woken, Waiting) != Waiting)
            {
                return false;
            }

            _woken.Cancel();
            return true;
        }

        /// <summary>
        /// Leaves the line having found a job. A wake-up that reached this thread meanwhile is handed on to another
        /// waiter, so no notification is spent on a thread that was no longer waiting.
        /// </summary>
        public void LeaveWithJob()
        {
            if (Interlocked.Exchange(ref _state, Left) == Woken)
            {
                foreach (var queue in queues)
                {
                    wakeUp.Wake(queue);
                }
            }
        }

        /// <summary>
        /// Leaves the line, woken or failed. The token's source is not disposed: a wake-up racing with this may be
        /// cancelling it, and a source without a timer holds nothing to free.
        /// </summary>
        public void Dispose() => Interlocked.Exchange(ref _state, Left);
    }
}
