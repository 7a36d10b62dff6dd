from licgraph.cli import main

main()
