using System.Net;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// The simulated cloud's errors onto the port's classes, in one place like every adapter's. It answers with EC2's codes
/// (the cloud it imitates), so the failures it injects are classified the way a real cloud's would be.
/// </summary>
public sealed class SimulatedErrorClassifier : CloudErrorClassifier<SimulatedErrorClassifier>, ICloudErrorCodes
{
    private SimulatedErrorClassifier()
    {
    }

    static string ICloudErrorCodes.BackendName => SimulatedCloudProvider.BackendName;

    static CloudErrorKind ICloudErrorCodes.KindOf(string code, string message, int httpStatus) => code switch
    {
        "RequestLimitExceeded" => CloudErrorKind.Throttled,
        // EC2's state reason for a reclaimed spot machine: the capacity went elsewhere.
        "InsufficientInstanceCapacity" or "AllocationFailed" or "Server.SpotInstanceTermination" => CloudErrorKind.InsufficientCapacity,
        "InternalError" or "RequestTimeout" => CloudErrorKind.Transient,
        _ when httpStatus >= (int)HttpStatusCode.InternalServerError => CloudErrorKind.Transient,
        _ => CloudErrorKind.InvalidRequest,
    };
}
