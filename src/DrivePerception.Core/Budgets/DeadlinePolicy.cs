namespace DrivePerception.Core.Budgets;

/// <summary>What happens to a frame that is already older than its deadline when the pipeline takes it.</summary>
public enum DeadlinePolicy
{
    /// <summary>Drop it before inference and count it; nothing is published for it.</summary>
    Drop,
    /// <summary>Skip inference and publish every topic with valid=false and reason "deadline".</summary>
    PublishInvalid,
}
