using Provisioner.Api.Problems;
using static Provisioner.Api.Problems.ProblemCodes;

namespace Provisioner.Api.OpenApi;

/// <summary>
/// The problems each operation can answer besides the ones every operation shares (401/403 where a key is needed, 429,
/// and for a body 400 malformed_json, 413, 415), by operation id, with their stable codes. One table, so that an
/// operation without an entry fails the document test instead of being documented with success answers only.
/// </summary>
internal static class ProblemAnswers
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<int, string[]>> ByOperation = new Dictionary<string, IReadOnlyDictionary<int, string[]>>
    {
        ["CreateInstance"] = Answers(
            (400, [ValidationFailed, InvalidHeader, NoOfferWithinPrice, NoOfferFits, WebhookUrlNotAllowed]),
            (409, [BudgetExceeded]),
            (422, [IdempotencyKeyReused])),
        ["ListInstances"] = Answers((400, [InvalidQuery])),
        ["GetInstanceStatistics"] = Answers((400, [InvalidQuery])),
        ["GetInstance"] = Answers((404, [InstanceNotFound, NotFound])),
        ["GetInstanceEvents"] = Answers((404, [InstanceNotFound, NotFound])),
        ["GetInstanceLaunchAttempts"] = Answers((404, [InstanceNotFound, NotFound])),
        ["GetInstanceMachines"] = Answers((404, [InstanceNotFound, NotFound])),
        ["RecordHeartbeat"] = Answers((404, [InstanceNotFound, NotFound]), (409, [InstanceNotRunning])),
        ["TerminateInstance"] = Answers((404, [InstanceNotFound, NotFound])),
        ["GetWebhook"] = Answers((404, [WebhookNotSet])),
        ["SetWebhook"] = Answers((400, [ValidationFailed, WebhookUrlNotAllowed])),
        ["RemoveWebhook"] = Answers((404, [WebhookNotSet])),
        ["RotateWebhookSecret"] = Answers(),
        ["ListWebhookDeliveries"] = Answers((400, [InvalidQuery])),
        ["GetWebhookDelivery"] = Answers((404, [DeliveryNotFound, NotFound])),
        ["RedeliverWebhook"] = Answers((404, [DeliveryNotFound, NotFound]), (409, [DeliveryInProgress])),
        ["GetBudget"] = Answers((404, [BudgetNotSet])),
        ["SetBudget"] = Answers((400, [ValidationFailed])),
        ["RemoveBudget"] = Answers((404, [BudgetNotSet])),
        ["GetDailyCosts"] = Answers((400, [InvalidQuery])),
        ["GetSavings"] = Answers((400, [InvalidQuery])),
        ["ListInstanceTypes"] = Answers((400, [InvalidQuery])),
        ["ListOffers"] = Answers((400, [InvalidQuery, NoOfferWithinPrice])),
        ["CreateApiKey"] = Answers((400, [ValidationFailed])),
        ["ListApiKeys"] = Answers(),
        ["RevokeApiKey"] = Answers((404, [KeyNotFound])),
        ["CreatePool"] = Answers((400, [ValidationFailed]), (409, [PoolNameTaken])),
        ["ListPools"] = Answers(),
        ["GetPool"] = Answers((404, [PoolNotFound, NotFound])),
        ["UpdatePool"] = Answers((400, [ValidationFailed]), (404, [PoolNotFound, NotFound])),
        ["DeletePool"] = Answers((404, [PoolNotFound, NotFound])),
    };

    /// <summary>What every operation that needs a key can answer.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> Authenticated = Answers(
        (401, [Unauthorized]),
        (403, [Forbidden]));

    /// <summary>What every operation can answer: the rate limiter's refusal, with Retry-After.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> Everywhere = Answers((429, [RateLimited]));

    /// <summary>What every operation with a JSON body can answer before its handler runs.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> WithBody = Answers(
        (400, [MalformedJson]),
        (413, [PayloadTooLarge]),
        (415, [UnsupportedMediaType]));

    private static Dictionary<int, string[]> Answers(params (int Status, string[] Codes)[] answers) =>
        answers.ToDictionary(a => a.Status, a => a.Codes);
}
