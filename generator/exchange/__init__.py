"""What is made of a checked dossier for others: its export, the changes between editions, FollowTheMoney and Web Annotations."""
