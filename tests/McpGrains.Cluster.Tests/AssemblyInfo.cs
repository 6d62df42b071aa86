// Every test runs whole clusters of processes on a small machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
