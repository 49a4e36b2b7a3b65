namespace DrivePerception.Synthetic.Scenarios;

/// <summary>What a scenario builder needs to lay out one run: the seed, how long the run lasts, the weather.</summary>
/// <param name="Seed">Seed of every random choice.</param>
/// <param name="Duration">Length of the run in seconds (frame count over frame rate); events are timed within it.</param>
/// <param name="Sky">Overcast, sunny, or chosen by the seed.</param>
internal sealed record ScenarioContext(int Seed, double Duration, SkyCondition Sky = SkyCondition.FromSeed);
