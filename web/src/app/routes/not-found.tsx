// Unknown paths inside the app.
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/misc';

export function Component() {
  return (
    <EmptyState
      title="Page not found"
      description="The address does not match any page of Nexus."
      action={
        <Button asChild variant="outline">
          <Link to="/">Go home</Link>
        </Button>
      }
    />
  );
}
